package dev.canopy.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a saved conversation's KV is only valid for: the exact model file and the engine settings
 * that shape the KV (context/RoPE parameters, KV type, ...). The token prefix is checked
 * separately: the manifest keeps the token ids, and {@link KvStore#open} resumes from the longest
 * prefix the stored tokens share with the conversation.
 *
 * @param modelFingerprint see {@link #fingerprint(Path)} (or {@link #contentHash(Path)})
 * @param settingsHash     see {@link #settingsHash(String...)}
 */
public record StoreIdentity(String modelFingerprint, String settingsHash) {

    private static final int EDGE = 1 << 20;

    public StoreIdentity {
        if (modelFingerprint == null || modelFingerprint.isBlank()) throw new IllegalArgumentException("modelFingerprint is required");
        if (settingsHash == null) throw new IllegalArgumentException("settingsHash is required");
    }

    /**
     * A cheap identity of a model file: its size, modification time and the SHA-256 of its first
     * and last MiB (GGUF header, tensor index and tail). Copying the file changes the mtime and so
     * invalidates saved KV; that errs on the safe side.
     */
    public static String fingerprint(Path modelFile) throws IOException {
        long size = Files.size(modelFile);
        long mtime = Files.getLastModifiedTime(modelFile).toMillis();
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            digest(ch, 0, Math.min(EDGE, size), sha);
            if (size > EDGE) digest(ch, Math.max(EDGE, size - EDGE), size, sha);
        }
        return "size=" + size + ";mtime=" + mtime + ";edges-sha256=" + HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 of the whole model file (slow for large files; independent of mtime). */
    public static String contentHash(Path modelFile) throws IOException {
        long size = Files.size(modelFile);
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            digest(ch, 0, size, sha);
        }
        return "size=" + size + ";sha256=" + HexFormat.of().formatHex(sha.digest());
    }

    /** A hash of the settings that shape the KV, given as stable "name=value" strings. */
    public static String settingsHash(String... settings) {
        MessageDigest sha = sha256();
        for (String s : settings) {
            sha.update(s.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 of the first {@code n} token ids (for logs and for callers that key caches by prefix). */
    public static String tokensHash(int[] tokens, int n) {
        MessageDigest sha = sha256();
        ByteBuffer b = ByteBuffer.allocate(4);
        for (int i = 0; i < n; i++) {
            b.clear();
            sha.update(b.putInt(tokens[i]).array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void digest(FileChannel ch, long from, long to, MessageDigest sha) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = from;
        while (pos < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - pos));
            int n = ch.read(buf, pos);
            if (n < 0) break;
            sha.update(buf.flip());
            pos += n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
