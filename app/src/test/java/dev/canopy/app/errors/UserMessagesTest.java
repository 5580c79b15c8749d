package dev.canopy.app.errors;

import dev.canopy.engine.ContextFullException;
import dev.canopy.natives.ggml.BackendAllocationException;
import dev.canopy.natives.llama.ModelLoadException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class UserMessagesTest {
    @Test
    void everyMessageSaysWhatToDoNextAndHasNoStackTrace() {
        UserMessage m = UserMessages.describe("Loading the model", new ModelLoadException("Not a GGUF model file: x.bin"));
        assertThat(m.title()).isEqualTo("Loading the model failed");
        assertThat(m.detail()).contains("Not a GGUF").contains("Models view");

        UserMessage ctx = UserMessages.describe("Answering", new ContextFullException(9000, 8192));
        assertThat(ctx.detail()).contains("9000").contains("8192").contains("new chat");

        UserMessage file = UserMessages.describe("Importing", new UncheckedIOException(new NoSuchFileException("/a/b.gguf")));
        assertThat(file.text()).contains("File not found: /a/b.gguf");

        UserMessage net = UserMessages.describe("Downloading", new ExecutionException(new ConnectException()));
        assertThat(net.detail()).contains("internet connection");

        UserMessage other = UserMessages.describe("Saving", new IllegalStateException((String) null));
        assertThat(other.text()).doesNotContain("Exception").doesNotContain("\tat ").contains("self-test");
    }

    @Test
    void fullMemorySaysWhichMemoryForWhatAndWhatToLower() {
        UserMessage gpu = UserMessages.describe("Starting the chat", new ExecutionException(
                new BackendAllocationException("the KV cache", 3L << 30, "CUDA0", " (llama.cpp: cudaMalloc failed)")));
        assertThat(gpu.title()).isEqualTo("Not enough memory");
        assertThat(gpu.detail()).isEqualTo("The GPU (CUDA0) has no room left for the KV cache (3.0 GiB). "
                + "Lower the GPU layers or the context size in Settings, or close other programs that use the GPU.");

        UserMessage cpu = UserMessages.describe("Starting the chat",
                BackendAllocationException.fromLog("the compute buffers", "CPU", java.util.List.of()));
        assertThat(cpu.detail()).isEqualTo("The computer's memory has no room left for the compute buffers. "
                + "Lower the context size in Settings, close other programs, or choose a smaller model.");
        assertThat(cpu.text()).doesNotContain("Exception").doesNotContain("GPU layers");

        UserMessage unknown = UserMessages.describe("Answering", BackendAllocationException.fromLog("the compute graph",
                BackendAllocationException.UNKNOWN_MEMORY, java.util.List.of()));
        assertThat(unknown.detail()).startsWith("There is no memory left for the compute graph. ").contains("GPU layers")
                .doesNotContain("()");
    }

    @Test
    void userFacingMessagesPassThrough() {
        UserMessage m = UserMessages.describe("Downloading", new UserFacingException("The link is wrong. Paste another."));
        assertThat(m.detail()).isEqualTo("The link is wrong. Paste another.");
    }
}
