package dev.canopy.memory.extract;

import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.fact.FactRole;
import dev.canopy.memory.text.Names;
import dev.canopy.memory.text.Terms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * No-model mode: every turn becomes a fact ("Speaker: text") with its speaker as participant,
 * capitalized names as entities and its three longest content words as topics; the cell summary is
 * its text, cut to {@value #SUMMARY_CHARS} characters. Deterministic.
 */
public final class TurnsAsLeavesExtractor implements CellExtractor {

    static final int SUMMARY_CHARS = 600;

    @Override
    public List<CellExtraction> extract(List<Cell> cells) {
        return cells.stream().map(TurnsAsLeavesExtractor::extract).toList();
    }

    @Override
    public FactOrigin origin() {
        return FactOrigin.TURN;
    }

    @Override
    public int batchSize() {
        return 64;
    }

    static CellExtraction extract(Cell cell) {
        List<ExtractedFact> facts = new ArrayList<>();
        for (Turn t : cell.turns()) {
            facts.add(fact(t));
        }
        String text = cell.text();
        String summary = text.length() > SUMMARY_CHARS ? text.substring(0, SUMMARY_CHARS - 1) + "…" : text;
        return new CellExtraction(cell.id(), summary, facts, false);
    }

    /** The fact standing for one turn. */
    public static ExtractedFact fact(Turn t) {
        Set<String> entities = new LinkedHashSet<>();
        entities.add(t.speaker());
        entities.addAll(Names.in(t.text()));
        return new ExtractedFact(t.line(), FactRole.DETAIL, List.of(t.speaker()), List.copyOf(entities),
                topics(t.text()), null, null, t.messageId());
    }

    static List<String> topics(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : Terms.contentWords(text)) {
            if (w.length() >= 4 && !Character.isDigit(w.charAt(0))) {
                words.add(w);
            }
        }
        return words.stream().sorted(Comparator.comparingInt(String::length).reversed()).limit(3).toList();
    }
}
