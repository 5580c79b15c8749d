package dev.canopy.app.errors;

import dev.canopy.engine.ContextFullException;
import dev.canopy.natives.ByteSizes;
import dev.canopy.natives.NativeLibraryException;
import dev.canopy.natives.ggml.BackendAllocationException;
import dev.canopy.natives.llama.ModelLoadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps exceptions to {@link UserMessage}s: the cause in plain words and the next step. */
public final class UserMessages {
    private UserMessages() {}

    /** Explains {@code error} when doing {@code what} (e.g. "Loading the model"). */
    public static UserMessage describe(String what, Throwable error) {
        Throwable e = unwrap(error);
        return switch (e) {
            case UserFacingException u -> new UserMessage(what + " failed", u.getMessage());
            case ModelLoadException m -> new UserMessage(what + " failed", m.getMessage()
                    + " Try another file from the Models view, or download one of the suggested models.");
            case dev.canopy.natives.rpc.WorkerLostException w -> new UserMessage("A computer running part of the model was lost",
                    "The " + clean(w.getMessage()) + " The conversation is kept: send the message again and it is answered without that computer.");
            case ContextFullException c -> new UserMessage("The conversation is too long for the context window",
                    "It needs " + c.needed() + " tokens but the window holds " + c.available()
                            + ". Start a new chat, or raise the context size in Settings.");
            case NativeLibraryException n -> new UserMessage("The inference libraries could not start",
                    n.getMessage() + " Run `canopy self-test` from a terminal for details.");
            case NoSuchFileException f -> new UserMessage(what + " failed",
                    "File not found: " + f.getFile() + ". It may have been moved or deleted.");
            case AccessDeniedException a -> new UserMessage(what + " failed",
                    "Permission denied: " + a.getFile() + ". Choose a folder you can write to.");
            case UnknownHostException u -> new UserMessage(what + " failed",
                    "The server " + u.getMessage() + " could not be found. Check the address and your internet connection.");
            case ConnectException c -> new UserMessage(what + " failed",
                    "Could not connect to the server. Check your internet connection and try again.");
            case HttpTimeoutException t -> new UserMessage(what + " failed",
                    "The server stopped answering. Try again; downloads resume where they stopped.");
            case FileSystemException f when isDiskFull(f) -> new UserMessage(what + " failed",
                    "The disk is full. Free some space or choose another folder in Settings.");
            case IOException io -> new UserMessage(what + " failed", clean(io.getMessage())
                    + " Check the file or connection and try again.");
            case BackendAllocationException b -> new UserMessage("Not enough memory", outOfBackendMemory(b));
            case OutOfMemoryError oom -> new UserMessage("Not enough memory",
                    "Close other programs, choose a smaller model, or lower the context size in Settings.");
            case IllegalArgumentException iae -> new UserMessage(what + " failed", clean(iae.getMessage()));
            default -> new UserMessage(what + " failed", clean(e.getMessage())
                    + " If this keeps happening, run `canopy self-test` from a terminal.");
        };
    }

    /** Which memory was full, for what and by how much, and what to lower: the GPU's layers only when a GPU's memory was full. */
    private static String outOfBackendMemory(BackendAllocationException b) {
        String need = b.what() + (b.bytes() >= 0 ? " (" + ByteSizes.describe(b.bytes()) + ")" : "");
        if (b.onGpu()) {
            return "The GPU (" + b.memory() + ") has no room left for " + need
                    + ". Lower the GPU layers or the context size in Settings, or close other programs that use the GPU.";
        }
        if (b.memory().equals(BackendAllocationException.UNKNOWN_MEMORY)) {
            return "There is no memory left for " + need
                    + ". Lower the context size or the GPU layers in Settings, or close other programs.";
        }
        return "The computer's memory has no room left for " + need
                + ". Lower the context size in Settings, close other programs, or choose a smaller model.";
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof UncheckedIOException || e instanceof ExecutionException || e instanceof CompletionException
                || (e instanceof RuntimeException && e.getClass() == RuntimeException.class))
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean isDiskFull(FileSystemException f) {
        String m = String.valueOf(f.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("no space left") || m.contains("disk full");
    }

    private static String clean(String message) {
        if (message == null || message.isBlank()) return "An unexpected error occurred.";
        String m = message.strip();
        return m.endsWith(".") ? m : m + ".";
    }
}
