package dev.canopy.app.cli;

import dev.canopy.natives.NativeLibraryException;
import dev.canopy.natives.ggml.BackendAllocationException;
import picocli.CommandLine;

/**
 * Turns failures into one readable message on stderr and a non-zero exit code; a stack trace is
 * printed only with {@code CANOPY_DEBUG=1}.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 2;
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        var err = cmd.getErr();
        boolean expected = ex instanceof CliException || ex instanceof NativeLibraryException
                || ex instanceof dev.canopy.natives.llama.ModelLoadException
                || ex instanceof dev.canopy.engine.ContextFullException
                || ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException
                || ex instanceof IllegalArgumentException || ex instanceof BackendAllocationException
                || ex instanceof dev.canopy.natives.rpc.RpcWorkerException
                || ex instanceof dev.canopy.natives.rpc.WorkerLostException;
        String msg = ex instanceof java.nio.file.NoSuchFileException nsf ? "File not found: " + nsf.getFile()
                : ex instanceof java.nio.file.AccessDeniedException ade ? "Permission denied: " + ade.getFile()
                : ex instanceof BackendAllocationException b ? "not enough memory: " + b.getMessage() + System.lineSeparator()
                        + (b.onGpu() ? "Lower --gpu-layers or --context, or close other programs that use the GPU."
                           : b.memory().equals(BackendAllocationException.UNKNOWN_MEMORY) ? "Lower --context or --gpu-layers, or close other programs."
                           : "Lower --context, close other programs, or choose a smaller model.")
                : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("canopy: " + msg);
        if ("1".equals(System.getenv("CANOPY_DEBUG"))) ex.printStackTrace(err);
        err.flush();
        return expected ? USER_ERROR : INTERNAL_ERROR;
    }
}
