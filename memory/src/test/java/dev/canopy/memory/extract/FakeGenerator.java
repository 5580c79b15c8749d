package dev.canopy.memory.extract;

import dev.canopy.memory.llm.TextGenerator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A fake model: answers each prompt with a function of it, and records every batch call. */
public final class FakeGenerator implements TextGenerator {

    /** One recorded call. */
    public record Call(List<String> prompts, String grammar, int maxTokens) {
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Function<String, String> answer;

    public FakeGenerator(Function<String, String> answer) {
        this.answer = answer;
    }

    @Override
    public List<String> generateBatch(List<String> prompts, String jsonGrammarOrNull, int maxTokens) {
        calls.add(new Call(List.copyOf(prompts), jsonGrammarOrNull, maxTokens));
        return prompts.stream().map(answer).toList();
    }

    /** Answers extraction prompts with one fact per line of the excerpt that mentions a capitalized word. */
    public static String extractionAnswer(String prompt) {
        String excerpt = prompt.substring(prompt.indexOf("Excerpt:\n") + 9, prompt.indexOf("\n\nAnswer with JSON"));
        StringBuilder facts = new StringBuilder();
        for (String line : excerpt.split("\n")) {
            int colon = line.indexOf(": ");
            String speaker = line.substring(0, colon);
            String text = line.substring(colon + 2).replace("\"", "'");
            if (!facts.isEmpty()) {
                facts.append(',');
            }
            facts.append("""
                    {"text": "%s said: %s", "role": "event", "participants": ["%s"], "entities": ["%s"],
                     "topics": ["chat"], "time_start": "2024-05-01", "time_end": null}""".formatted(speaker, text,
                    speaker, speaker));
        }
        return "{\"summary\": \"A chat.\", \"facts\": [" + facts + "]}";
    }
}
