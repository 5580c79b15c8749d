package dev.canopy.memory.retrieve;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Writes recalled facts, with their dates, into a prompt block that fits a token budget. */
public final class PromptAssembler {

    static final String HEADER = "Relevant memories from earlier conversations (date said in brackets):\n";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private PromptAssembler() {
    }

    public static Recall assemble(List<RecalledFact> facts, int tokenBudget, TokenCounter counter) {
        StringBuilder sb = new StringBuilder(HEADER);
        int tokens = counter.count(HEADER);
        int used = 0;
        for (RecalledFact f : facts) {
            String line = line(f);
            int t = counter.count(line);
            if (tokens + t > tokenBudget) {
                break;
            }
            sb.append(line);
            tokens += t;
            used++;
        }
        if (used == 0) {
            return new Recall(facts, "", 0, 0);
        }
        return new Recall(facts, sb.toString(), used, tokens);
    }

    static String line(RecalledFact f) {
        String about = f.validFrom() == null ? "" : " (about " + f.validFrom() + ")";
        return "- [" + DAY.format(f.ts()) + "] " + f.text().replace('\n', ' ') + about + "\n";
    }
}
