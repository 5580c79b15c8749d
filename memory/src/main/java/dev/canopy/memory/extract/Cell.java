package dev.canopy.memory.extract;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** A unit of extraction: up to two consecutive turns of one session. */
public record Cell(long id, long conversationId, int sessionNo, Instant start, Instant end, List<Turn> turns) {

    public Cell {
        turns = List.copyOf(turns);
    }

    /** The turns, one "Speaker: text" line each. */
    public String text() {
        return turns.stream().map(Turn::line).collect(Collectors.joining("\n"));
    }

    public List<String> speakers() {
        return turns.stream().map(Turn::speaker).distinct().toList();
    }
}
