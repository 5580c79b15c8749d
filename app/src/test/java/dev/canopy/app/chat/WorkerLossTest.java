package dev.canopy.app.chat;

import dev.canopy.app.cli.CanopyCli;
import dev.canopy.app.cli.LoopbackWorkers;
import dev.canopy.app.errors.UserMessage;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.memories.InMemoryMemoryService;
import dev.canopy.app.settings.AppSettings;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.app.settings.ComputeDevice;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.settings.Theme;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.SpeculationMode;
import dev.canopy.memory.conversation.Role;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.WorkerLostException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A worker killed mid-answer (decision 0185): the answer ends with an error naming the worker, this
 * process lives on, the conversation keeps the question, and the next answer runs without that worker,
 * giving the local greedy text.
 */
class WorkerLossTest {
    @TempDir static Path dir;
    static Path model;
    static LoopbackWorkers workers;

    @BeforeAll
    static void startTwoWorkers() throws Exception {
        boolean patched = RpcBackend.find().map(RpcBackend::survivesLostWorkers).orElse(false);
        assumeTrue(patched, "WorkerLossTest: skipped, this build has no RPC backend with Canopy's patch (g++ missing?)");
        model = TinyModels.write(TinyModelSpec.tiny("llama").withShape(64, 6, 4, 2, 128), dir.resolve("tiny6.gguf"));
        workers = LoopbackWorkers.start(2, dir);
    }

    @AfterAll
    static void stopWorkers() {
        if (workers != null) workers.close();
    }

    /** Every layer and the output on the workers; a context of 256 (llama.cpp's smallest) keeps answers short; no memory. */
    private static ChatService chat(Path home, ModelRuntime runtime, List<RpcEndpoint> on) {
        SettingsStore settings = new SettingsStore(home);
        settings.save(new AppSettings(Theme.LIGHT, ComputeDevice.GPU, -1, 2, 0, 256, AttentionMode.DENSE, 2048,
                1024, 4096, 16384, "", false, "", "", false, model.toString(), KvPrecision.F16, SpeculationMode.OFF, "",
                on.stream().map(RpcEndpoint::toString).toList()));
        return new ChatService(new InMemoryConversationRepository(), new InMemoryMemoryService(), settings, runtime);
    }

    private static Conversation ask(ChatService chat) {
        Conversation c = chat.conversations().create("t");
        chat.conversations().save(c.withSettings("", SamplingPreset.PRECISE));
        chat.addUserMessage(c.id(), "Once upon a time, in a small village by the sea");
        return c;
    }

    @Test
    void aWorkerKilledMidAnswerGivesAClearErrorAndTheNextAnswerRunsWithoutIt(@TempDir Path local, @TempDir Path split) throws Exception {
        String expected;
        try (ModelRuntime runtime = new ModelRuntime()) {
            ChatService here = chat(local, runtime, List.of());
            expected = here.reply(ask(here).id(), ChatListener.NONE, new CancellationToken()).message().orElseThrow().content();
        }
        assertThat(expected).isNotBlank();

        RpcEndpoint killed = workers.endpoints().getFirst();
        try (ModelRuntime runtime = new ModelRuntime()) {
            ChatService chat = chat(split, runtime, workers.endpoints());
            Conversation c = ask(chat);
            StringBuilder streamed = new StringBuilder();
            WorkerLostException lost = catchThrowableOfType(WorkerLostException.class, () -> chat.reply(c.id(), new ChatListener() {
                @Override public void onText(String delta) {
                    if (streamed.isEmpty()) {
                        try {
                            workers.kill(0);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    streamed.append(delta);
                }
            }, new CancellationToken()));

            assertThat(streamed).as("the answer had started").isNotEmpty();
            assertThat(lost).as("the answer ends with the worker's loss").isNotNull();
            assertThat(lost.worker()).isEqualTo(killed);
            assertThat(lost.getMessage()).startsWith("worker 127.0.0.1:" + killed.port() + " was lost mid-answer");
            UserMessage shown = UserMessages.describe("Answering", lost);
            assertThat(shown.text()).contains("127.0.0.1:" + killed.port()).contains("The conversation is kept");
            // the conversation keeps the question, without the interrupted answer; the model was unloaded
            assertThat(chat.conversations().messages(c.id())).extracting(StoredMessage::role).containsExactly(Role.USER);
            assertThat(runtime.model()).isEmpty();

            // the next answer loads the model without that worker, says so, and gives the local greedy text
            List<String> notices = new ArrayList<>();
            ChatReply again = chat.reply(c.id(), new ChatListener() {
                @Override public void onNotice(String text) { notices.add(text); }
            }, new CancellationToken());
            assertThat(notices).anySatisfy(n -> assertThat(n).startsWith("The model runs without worker " + killed + ", lost during an earlier answer"));
            assertThat(again.message().orElseThrow().content()).isEqualTo(expected);
            assertThat(runtime.model().orElseThrow().runsOn()).contains("worker " + workers.endpoints().get(1)).doesNotContain(killed.toString());
        }
    }

    /** With Canopy's own engine (the default, decision 0200) and with llama.cpp's. */
    @ParameterizedTest
    @ValueSource(strings = {"canopy", "llama"})
    void generateOnAWorkerKilledMidAnswerSaysWhichAndExitsWithCode2(String engine, @TempDir Path logs) throws Exception {
        try (LoopbackWorkers one = LoopbackWorkers.start(1, logs)) {
            RpcEndpoint worker = one.endpoints().getFirst();
            StringWriter text = new StringWriter();
            StringWriter err = new StringWriter();
            int code = generateOn(worker, engine, () -> one.kill(0), text, err);
            assertThat(text.toString()).as("the answer had started").isNotEmpty();
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("canopy: worker " + worker + " was lost mid-answer: the connection closed or it stopped answering");
        }
    }

    /**
     * A worker that stops answering while its computer stays up (SIGSTOP: its kernel still answers TCP
     * keep-alive) is given up after the answer timeout (Canopy's patch, {@link RpcBackend#answerTimeout}),
     * not waited for forever: the same error naming it and exit code 2, with both engines.
     */
    @ParameterizedTest
    @ValueSource(strings = {"canopy", "llama"})
    void generateOnAWorkerThatStopsAnsweringGivesUpAfterTheAnswerTimeout(String engine, @TempDir Path logs) throws Exception {
        assumeTrue(RpcBackend.require().noticesStuckWorkers(), "this build's RPC backend has no answer timeout (Canopy's patch)");
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "SIGSTOP is POSIX");
        RpcBackend.answerTimeout(Duration.ofSeconds(2));
        try (LoopbackWorkers one = LoopbackWorkers.start(1, logs)) {
            RpcEndpoint worker = one.endpoints().getFirst();
            StringWriter text = new StringWriter();
            StringWriter err = new StringWriter();
            int code = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> generateOn(worker, engine, () -> one.stop(0), text, err),
                    "a stopped worker must be given up after the answer timeout, not waited for");
            assertThat(text.toString()).as("the answer had started").isNotEmpty();
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("canopy: worker " + worker + " was lost mid-answer");
        } finally {
            RpcBackend.answerTimeout(RpcBackend.DEFAULT_ANSWER_TIMEOUT);
        }
    }

    /** What a test does to a worker when the answer's first text arrives. */
    private interface WorkerAction {
        void run() throws IOException, InterruptedException;
    }

    /**
     * {@code canopy generate} with every layer on {@code worker}, its text written to {@code text} and its
     * errors to {@code err}; {@code onFirstToken} runs when the first text arrives. Returns the exit code.
     */
    private static int generateOn(RpcEndpoint worker, String engine, WorkerAction onFirstToken, StringWriter text, StringWriter err) {
        Writer out = new Writer() {
            @Override public void write(char[] b, int off, int len) {
                if (len == 0) return;
                if (text.getBuffer().isEmpty()) {
                    try {
                        onFirstToken.run();
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                text.write(b, off, len);
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        return CanopyCli.run(new PrintWriter(out), new PrintWriter(err), "generate", "--model", model.toString(),
                "--prompt", "Once upon a time, in a small village by the sea", "--max-tokens", "200", "--temperature", "0",
                "--context", "256", "--threads", "2", "--gpu-layers", "-1", "--rpc", worker.toString(), "--engine", engine);
    }
}
