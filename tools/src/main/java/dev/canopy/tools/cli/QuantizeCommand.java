package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.llama.ModelLoadException;
import dev.canopy.natives.llama.ModelQuantizer;
import dev.canopy.natives.llama.QuantType;
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
 * {@code canopy quantize}: rewrites an existing GGUF model (e.g. the passkey model, which ships in
 * F32/F16) with its matrices in a quantized type through libllama's quantizer, as llama-quantize
 * would, so the speed of a trained model can be compared at Q8_0 or Q4_K_M too.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Writes a copy of a GGUF model with its matrices quantized (libllama's quantizer, as llama-quantize).")
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The GGUF model to read.") Path in;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The GGUF file to write.") Path out;
    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "Q8_0, Q6_K, Q5_K_M, Q4_K_M or Q4_0 (rows that do not fit a K-quant's blocks get llama.cpp's fallback type).") String type;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads (0 = all).") int threads;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(in)) throw new CliException("no model file " + in);
        if (threads < 0) throw new CliException("--threads must be >= 0, got " + threads);
        if (Files.isDirectory(out)) throw new CliException(out + " is a folder; give a file name");
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new CliException("--out must differ from --model (the model is read while the copy is written)");
        }
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) throw new CliException("no folder " + folder + " to write " + out.getFileName() + " in");
        QuantType quant;
        try {
            quant = QuantType.parse(type);
        } catch (IllegalArgumentException e) {
            throw new CliException("--type must be one of " + QuantType.names() + "; got " + type);
        }
        NativeRuntime.get();
        long t0 = System.nanoTime();
        Path part = folder.resolve(out.getFileName() + ".part");
        try {
            ModelQuantizer.quantize(in, part, quant, threads);
            Files.move(part, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (ModelLoadException e) {
            throw new CliException(e.getMessage());
        } finally {
            Files.deleteIfExists(part);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s, %.1f MiB (from %.1f MiB) in %.1f s%n", out, quant.name(),
                Files.size(out) / 1048576.0, Files.size(in) / 1048576.0, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
