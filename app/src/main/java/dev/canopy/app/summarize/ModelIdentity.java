package dev.canopy.app.summarize;

import dev.canopy.engine.ModelInfo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A cheap, stable identity of a model file: a hash of its size and its first and last MiB (the GGUF
 * header and metadata, and the last tensors), so renaming the file keeps its stored summaries while a
 * different model or quantization does not share them. Reads 2 MiB, not gigabytes.
 */
public final class ModelIdentity {
    private static final int EDGE = 1 << 20;

    private ModelIdentity() {}

    public static String of(ModelInfo info) {
        Path file = info.file();
        if (file == null || !Files.isRegularFile(file)) return "name:" + info.name() + ":" + info.parameters();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long size = f.length();
            md.update(Long.toString(size).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] buf = new byte[(int) Math.min(EDGE, size)];
            f.readFully(buf);
            md.update(buf);
            if (size > EDGE) {
                f.seek(Math.max(EDGE, size - EDGE));
                byte[] tail = new byte[(int) (size - f.getFilePointer())];
                f.readFully(tail);
                md.update(tail);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (IOException e) {
            return "name:" + info.name() + ":" + info.fileBytes();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
