package dev.canopy.app.summarize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What decides a run's chunk and merge summaries: the document's content, the model file, the chunk size
 * and the summary settings. Stored summaries are keyed by it, so a new run with the same key (after a
 * cancel or a crash) reuses them; the final summary is additionally keyed by style and instruction, so
 * asking for another style redoes only the final pass.
 */
public record RunKey(String documentHash, String modelId, int chunkTokens, String settings) {
    /** Bump when prompts or the chunker change what a stored summary would be. */
    static final int VERSION = 2;

    public String id() {
        String all = "v" + VERSION + "|" + documentHash + "|" + modelId + "|" + chunkTokens + "|" + settings;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(all.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
