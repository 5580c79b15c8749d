package dev.canopy.natives.llama;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cheap checks before handing a file to native code, so the common mistakes get a precise message. */
public final class GgufPrecheck {
    private GgufPrecheck() {}

    /** Throws {@link ModelLoadException} unless {@code file} exists, is readable and starts with "GGUF". */
    public static void check(Path file) {
        if (!Files.exists(file)) throw new ModelLoadException("Model file not found: " + file);
        if (Files.isDirectory(file)) throw new ModelLoadException("Model path is a folder, not a .gguf file: " + file);
        if (!Files.isReadable(file)) throw new ModelLoadException("Model file is not readable (check permissions): " + file);
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new ModelLoadException("Model file cannot be read: " + file + ": " + e.getMessage(), e);
        }
        if (n < 8) throw new ModelLoadException("Model file is empty or truncated (" + n + " bytes): " + file);
        if (head[0] != 'G' || head[1] != 'G' || head[2] != 'U' || head[3] != 'F') {
            throw new ModelLoadException("Not a GGUF model file (bad magic bytes): " + file
                    + ". Canopy loads .gguf files; convert other formats with llama.cpp's convert_hf_to_gguf.py.");
        }
    }
}
