package dev.canopy.engine.weights;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;
import dev.canopy.natives.llama.ModelLoadException;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Looks up a model's weight tensors by GGUF name and checks their shapes before any graph uses
 * them, so a damaged or mislabelled file fails with a message instead of a ggml assertion.
 */
final class TensorDirectory {
    private final Path file;
    private final Map<String, MemorySegment> byName; // borrowed tensor headers

    TensorDirectory(Path file, Map<String, MemorySegment> byName) {
        this.file = file;
        this.byName = byName;
    }

    /** The tensor {@code name} with shape {@code shape}; throws when it is missing or mis-shaped. */
    MemorySegment require(String name, long... shape) {
        MemorySegment t = byName.get(name);
        if (t == null) throw new ModelLoadException("Model file " + file.getFileName() + " lacks the tensor " + name);
        check(name, t, shape);
        return t;
    }

    /** The tensor {@code name} when present (shape-checked), else null. */
    MemorySegment optional(String name, long... shape) {
        MemorySegment t = byName.get(name);
        if (t != null) check(name, t, shape);
        return t;
    }

    private void check(String name, MemorySegment t, long[] shape) {
        long[] actual = Tensors.shape(t);
        long[] expected = Arrays.copyOf(shape, 4);
        for (int i = shape.length; i < 4; i++) expected[i] = 1;
        if (!Arrays.equals(actual, expected)) {
            throw new ModelLoadException("Model file " + file.getFileName() + ": tensor " + name + " has shape "
                    + Arrays.toString(actual) + " but the metadata implies " + Arrays.toString(expected));
        }
        int type = Tensors.type(t);
        if (type < 0 || type >= llama_h.GGML_TYPE_COUNT() || llama_h.ggml_blck_size(type) == 0) {
            throw new ModelLoadException("Model file " + file.getFileName() + ": tensor " + name + " has unknown type " + type);
        }
    }
}
