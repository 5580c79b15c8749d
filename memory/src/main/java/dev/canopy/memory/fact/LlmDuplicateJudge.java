package dev.canopy.memory.fact;

import dev.canopy.memory.llm.TextGenerator;
import java.util.List;
import java.util.Locale;

/** A {@link DuplicateJudge} that asks the model for "yes" or "no" (grammar-constrained). */
public final class LlmDuplicateJudge implements DuplicateJudge {

    /** GBNF allowing only the two answers. */
    public static final String GRAMMAR = "root ::= \"yes\" | \"no\"\n";

    private final TextGenerator generator;

    public LlmDuplicateJudge(TextGenerator generator) {
        this.generator = generator;
    }

    @Override
    public boolean same(String existing, String candidate) {
        String prompt = "Do these two memory items state the same fact (same people, event and time)? "
                + "Answer yes or no.\nA: " + existing + "\nB: " + candidate + "\n";
        List<String> answer = generator.generateBatch(List.of(prompt), GRAMMAR, 2);
        return !answer.isEmpty() && answer.getFirst().strip().toLowerCase(Locale.ROOT).startsWith("yes");
    }
}
