package dev.canopy.tools.engine.sparse.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompts of the reference generator's JSONL (shared/datasets/passkey/make_prompts.py, e.g. its
 * sample.jsonl): one object a line with {@code id}, {@code len}, {@code facts}, {@code prompt},
 * {@code key} and, where recorded, dense attention's answer {@code dense}. The facts are read back
 * from the prompt's {@code The {label} code is {digits}.} sentences.
 */
public final class PasskeySamples {
    /** One line: the prompt (id {@code {len}-{facts}f-{line's id}}) and dense attention's recorded answer ("" if none). */
    public record Sample(String sourceId, int length, PasskeyPrompt prompt, String dense) {}

    private static final Pattern FACT = Pattern.compile("The ([a-z]+) code is ([0-9]{5})\\.");
    private static final Pattern QUESTION = Pattern.compile("What is the ([a-z]+) code\\? The \\1 code is$");

    private PasskeySamples() {}

    public static List<Sample> read(Path jsonl) {
        List<String> lines;
        try {
            lines = Files.readAllLines(jsonl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read passkey prompts " + jsonl, e);
        }
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                out.add(parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(jsonl + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The largest {@code len} in the file (what the context must hold). */
    public static int longest(Path jsonl) {
        return read(jsonl).stream().mapToInt(Sample::length).max().orElseThrow(() -> new IllegalArgumentException("no prompts in " + jsonl));
    }

    static Sample parse(String line) {
        String id = field(line, "id", true);
        int length = Integer.parseInt(field(line, "len", false));
        String text = field(line, "prompt", true);
        String key = field(line, "key", true);
        String dense = line.contains("\"dense\"") ? field(line, "dense", true) : "";
        List<PasskeyPrompt.Fact> facts = new ArrayList<>();
        Matcher m = FACT.matcher(text);
        while (m.find()) facts.add(new PasskeyPrompt.Fact(m.group(1), m.group(2)));
        Matcher q = QUESTION.matcher(text);
        if (!q.find()) throw new IllegalArgumentException("prompt " + id + " does not end in the question");
        PasskeyPrompt.Fact asked = facts.stream().filter(f -> f.label().equals(q.group(1)) && f.code().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("prompt " + id + " holds no fact '" + q.group(1) + "' with key " + key));
        String ours = length + "-" + facts.size() + "f-" + id;
        return new Sample(id, length, new PasskeyPrompt(ours, text, List.copyOf(facts), asked, 0), dense);
    }

    /** A string or number field of a flat JSON object whose strings hold no quotes or escapes (as these files' do). */
    private static String field(String line, String name, boolean string) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*" + (string ? "\"([^\"\\\\]*)\"" : "(-?[0-9]+)")).matcher(line);
        if (!m.find()) throw new IllegalArgumentException("no " + (string ? "string" : "number") + " field '" + name + "'");
        return m.group(1);
    }
}
