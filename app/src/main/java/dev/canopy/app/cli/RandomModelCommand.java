package dev.canopy.app.cli;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.gguf.GgmlType;
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
                    + " tiny: 2 layers, 64 wide. Default: ${DEFAULT-VALUE}.") String shape;
    @Option(names = "--arch", defaultValue = "llama", paramLabel = "ARCH", description = "llama, qwen2 or qwen3. Default: ${DEFAULT-VALUE}.") String arch;
    @Option(names = "--type", defaultValue = "F16", paramLabel = "TYPE", description = "F32, F16 or Q8_0 matrices. Default: ${DEFAULT-VALUE}.") GgmlType type;
    @Option(names = "--context", defaultValue = "131072", paramLabel = "N", description = "Training context written to the file. Default: ${DEFAULT-VALUE}.") int context;
    @Option(names = "--seed", defaultValue = "42", paramLabel = "S") long seed;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!TinyModels.ARCHITECTURES.contains(arch)) throw new CliException("--arch must be one of " + TinyModels.ARCHITECTURES + ", got " + arch);
        if (!shape.equals("1b") && !shape.equals("tiny")) throw new CliException("--shape must be 1b or tiny, got " + shape);
        if (context < 256) throw new CliException("--context must be >= 256");
        if (Files.isDirectory(out)) throw new CliException(out + " is a folder; give a file name");
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) throw new CliException("no folder " + folder + " to write " + out.getFileName() + " in");
        if (!Files.isWritable(folder)) throw new CliException("cannot write in " + folder + "; choose another --out");
        NativeRuntime.get();   // loads ggml, which converts the weights
        TinyModelSpec s = (shape.equals("tiny") ? TinyModelSpec.tiny(arch) : TinyModelSpec.oneBillion(arch))
                .withType(type).withContext(context).withSeed(seed);
        long t0 = System.nanoTime();
        TinyModels.write(s, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s, %d layers, %d wide, %d/%d heads, FFN %d, %s, %.1f MiB in %.1f s%n",
                out, arch, s.layers(), s.embedding(), s.heads(), s.kvHeads(), s.feedForward(), type,
                Files.size(out) / 1048576.0, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
