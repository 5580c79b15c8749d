package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.gguf.GgmlType;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.llama.ModelLoadException;
import dev.canopy.natives.llama.ModelQuantizer;
import dev.canopy.natives.llama.QuantType;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;

/**
 * {@code canopy random-model}: writes a random-weight GGUF of a real architecture and shape, so
 * that speed and memory can be measured at a model size no test ships (e.g. a 1B-shaped model on a
 * GPU box) without downloading one. Its text is meaningless; its cost per token is a real model's.
 */
@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = "Writes a random-weight GGUF model of a given shape, for speed and memory benchmarks"
                + " (its output text is meaningless).")
final class RandomModelCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The GGUF file to write.") Path out;
    @Option(names = "--shape", defaultValue = "1b", paramLabel = "SHAPE",
            description = "1b: Llama-3.2-1B's layers (2048 wide, 16 layers, 32/8 heads, FFN 8192), about 1.1B weights;"
                    + " small: 2 layers, 256 wide (every K-quant fits its rows); tiny: 2 layers, 64 wide. Default: ${DEFAULT-VALUE}.") String shape;
    @Option(names = "--arch", defaultValue = "llama", paramLabel = "ARCH", description = "llama, qwen2 or qwen3. Default: ${DEFAULT-VALUE}.") String arch;
    @Option(names = "--type", defaultValue = "F16", paramLabel = "TYPE",
            description = {"F32 or F16 matrices written directly, or Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q4_0 through libllama's quantizer",
                    "(from an F16 file, as llama-quantize would; the 1b shape's matrices take every K-quant). Default: ${DEFAULT-VALUE}."}) String type;
    @Option(names = "--context", defaultValue = "131072", paramLabel = "N", description = "Training context written to the file. Default: ${DEFAULT-VALUE}.") int context;
    @Option(names = "--seed", defaultValue = "42", paramLabel = "S") long seed;
    @Spec CommandSpec spec;

    private static final Set<String> SHAPES = Set.of("1b", "small", "tiny");
    private static final Set<String> DIRECT = Set.of("F32", "F16");

    /** How many tensors of each type the file holds, e.g. "q4_K 9, q6_K 3, f32 5". */
    private static String tensorTypes(Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            Map<String, Long> byType = f.tensors().stream().collect(Collectors.groupingBy(GgufFile.TensorInfo::typeName,
                    TreeMap::new, Collectors.counting()));
            return byType.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + " tensors";
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!TinyModels.ARCHITECTURES.contains(arch)) throw new CliException("--arch must be one of " + TinyModels.ARCHITECTURES + ", got " + arch);
        if (!SHAPES.contains(shape)) throw new CliException("--shape must be 1b, small or tiny, got " + shape);
        if (context < 256) throw new CliException("--context must be >= 256");
        if (Files.isDirectory(out)) throw new CliException(out + " is a folder; give a file name");
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) throw new CliException("no folder " + folder + " to write " + out.getFileName() + " in");
        if (!Files.isWritable(folder)) throw new CliException("cannot write in " + folder + "; choose another --out");
        GgmlType direct = DIRECT.contains(type.strip().toUpperCase(Locale.ROOT)) ? GgmlType.valueOf(type.strip().toUpperCase(Locale.ROOT)) : null;
        QuantType quantized;
        try {
            quantized = direct == null ? QuantType.parse(type) : null;
        } catch (IllegalArgumentException e) {
            throw new CliException("--type must be one of F32, " + QuantType.names() + "; got " + type);
        }
        NativeRuntime.get();   // loads ggml, which converts the weights
        TinyModelSpec base = switch (shape) {
            case "tiny" -> TinyModelSpec.tiny(arch);
            case "small" -> TinyModelSpec.tiny(arch).withShape(256, 2, 4, 2, 512);
            default -> TinyModelSpec.oneBillion(arch);
        };
        TinyModelSpec s = base
                .withType(direct == null ? GgmlType.F16 : direct).withContext(context).withSeed(seed);
        long t0 = System.nanoTime();
        if (quantized == null) {
            TinyModels.write(s, out);
        } else {
            Path f16 = folder.resolve(out.getFileName() + ".f16.part");
            try {
                TinyModels.write(s, f16);
                ModelQuantizer.quantize(f16, out, quantized, 0);
            } catch (ModelLoadException e) {
                throw new CliException(e.getMessage());
            } finally {
                Files.deleteIfExists(f16);
            }
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s, %d layers, %d wide, %d/%d heads, FFN %d, %s (%s), %.1f MiB in %.1f s%n",
                out, arch, s.layers(), s.embedding(), s.heads(), s.kvHeads(), s.feedForward(),
                direct == null ? quantized.name() : direct.name(), tensorTypes(out), Files.size(out) / 1048576.0, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
