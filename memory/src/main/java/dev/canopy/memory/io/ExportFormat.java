package dev.canopy.memory.io;

import java.util.List;

/**
 * The export file, version 1. Times are epoch milliseconds. Trees and indexes are not exported:
 * they are derived, and rebuilt on import. References ({@code ref}) are only meaningful inside one
 * file.
 */
public final class ExportFormat {

    public static final String FORMAT = "canopy-memory";
    public static final int VERSION = 1;

    private ExportFormat() {
    }

    /** The whole file. */
    public record File(String format, int version, long exportedAt, List<Conversation> conversations,
                       List<Entity> entities, List<Fact> facts) {
    }

    /** A conversation with its messages and cells; {@code memoryCursorSeq}: last message already cut into cells. */
    public record Conversation(long ref, String title, String model, String settings, boolean memoryEnabled,
                               long createdAt, long updatedAt, int memoryCursorSeq, List<Message> messages,
                               List<Cell> cells) {
    }

    /** A message. */
    public record Message(int seq, int sessionNo, String role, String author, String content, String status,
                          String model, String settings, long createdAt, Long firstTokenAt, Long finishedAt,
                          Integer promptTokens, int generatedTokens, String error, String externalRef) {
    }

    /** A cell, by the sequence numbers of its first and last message. */
    public record Cell(long ref, int sessionNo, int firstSeq, int lastSeq, long tStart, long tEnd, String text,
                       String summary, String status) {
    }

    /** An entity. */
    public record Entity(String display, boolean user) {
    }

    /** A fact with its entity links and sources. */
    public record Fact(String text, String role, String origin, long ts, String validFrom, String validTo,
                       List<String> participants, List<String> entities, List<String> topics, long createdAt,
                       long updatedAt, List<String> entityLinks, List<Source> sources) {
    }

    /** Where a fact came from: a conversation ref, and the cell ref and message seq when known. */
    public record Source(long conversation, Long cell, Integer messageSeq) {
    }
}
