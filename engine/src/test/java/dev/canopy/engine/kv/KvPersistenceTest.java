package dev.canopy.engine.kv;

import dev.canopy.kv.KvKey;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.SequenceEngine;
import dev.canopy.engine.testing.TinyModelFiles;
import dev.canopy.natives.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.canopy.engine.kv.KvFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A conversation's KV saved on close and reopened (in another process), and damaged pages recomputed, never used. */
class KvPersistenceTest {
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived an old fisherman who had a"
            + " daughter, a cat, three boats and a garden full of tomatoes. Every morning he walked down to the harbor,"
            + " greeted the baker and the priest, and checked the nets that his neighbors had mended the night before.";
    private static Path modelFile;
    private static CanopyInferenceModel model;

    @TempDir Path dir;

    @BeforeAll
    static void load() {
        modelFile = TinyModelFiles.get("llama", GgmlType.F32);
        model = KvFixture.load(modelFile);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aConversationSavedInAnotherProcessContinuesWithZeroPrefillAndIdenticalLogits() throws Exception {
        int steps = 10, more = 5;
        int[] prompt = TinyModelFiles.promptTokens(200, 7);
        List<String> child = runChild("proc", prompt.length, 7, steps);

        int[] refTokens = new int[steps + more];
        float[][] reference;
        try (SequenceEngine neverClosed = model.openSequence(settings(), denseOverTiers(model, null, "ref", 0.10))) {
            reference = greedy(neverClosed, prompt, steps + more, refTokens);
        }
        assertThat(child).contains("tokens " + Arrays.toString(Arrays.copyOf(refTokens, steps)));

        int[] conversation = new int[prompt.length + steps];
        System.arraycopy(prompt, 0, conversation, 0, prompt.length);
        System.arraycopy(refTokens, 0, conversation, prompt.length, steps);
        try (SequenceEngine reopened = model.openSequence(settings(), denseOverTiers(model, dir, "proc", 0.10))) {
            assertThat(reopened.resume(conversation)).as("every token restored: nothing to prefill").isEqualTo(conversation.length);
            assertThat(reopened.logitsAfterHistory()).as("logits after the saved conversation, with no step")
                    .containsExactly(reference[steps]);
            for (int i = 0; i < more; i++) {
                float[] logits = reopened.decode(refTokens[steps + i]);
                assertThat(logits).as("logits after continued step %d", i).containsExactly(reference[steps + i + 1]);
            }
            assertThat(reopened.tieredKv().stats().diskBytesRead()).as("the saved pages were read from disk").isPositive();
        }
    }

    @Test
    void aReopenedSessionNeedsZeroPrefillTokensAndAnswersLikeAFreshOne() {
        GenerationResult fresh;
        try (GenerationSession s = model.openSession()) {
            fresh = s.generate(GenerationRequest.greedy(STORY, 6), GenerationListener.NONE);
        }
        try (GenerationSession first = model.openSession(settings(), KvOffload.persistentInRam(dir, KvKey.named("chat")).withPageTokens(PAGE))) {
            first.generate(GenerationRequest.greedy(STORY, 1), GenerationListener.NONE);
        }
        try (GenerationSession reopened = model.openSession(settings(), KvOffload.persistentInRam(dir, KvKey.named("chat")).withPageTokens(PAGE))) {
            GenerationResult r = reopened.generate(GenerationRequest.greedy(STORY, 6), GenerationListener.NONE);
            assertThat(r.stats().prefilledTokens()).isZero();
            assertThat(r.tokens()).containsExactly(fresh.tokens());
        }
    }

    @Test
    void aPageDamagedOnDiskIsDetectedOnOpenAndRecomputedFromTheText() throws IOException {
        GenerationResult fresh;
        try (GenerationSession s = model.openSession()) {
            fresh = s.generate(GenerationRequest.greedy(STORY, 6), GenerationListener.NONE);
        }
        KvOffload cfg = KvOffload.persistentInRam(dir, KvKey.named("damaged")).withPageTokens(PAGE);
        try (GenerationSession first = model.openSession(settings(), cfg)) {
            first.generate(GenerationRequest.greedy(STORY, 1), GenerationListener.NONE);
        }
        trashSlot(dir.resolve("damaged.kvpages"), 3);
        try (GenerationSession reopened = model.openSession(settings(), cfg)) {
            GenerationResult r = reopened.generate(GenerationRequest.greedy(STORY, 6), GenerationListener.NONE);
            assertThat(r.stats().prefilledTokens()).as("the damaged page and what follows it were recomputed")
                    .isPositive().isLessThan(r.stats().promptTokens());
            assertThat(r.tokens()).containsExactly(fresh.tokens());
        }
    }

    @Test
    void aPageDamagedWhileInUseIsNeverUsedAndRecomputed() throws IOException {
        int[] prompt = TinyModelFiles.promptTokens(300, 9);
        int[] want = new int[6], got = new int[6];
        float[][] dense;
        try (SequenceEngine s = model.openSequence(settings())) {
            dense = greedy(s, prompt, 6, want);
        }
        KvOffload cfg = denseOverTiers(model, dir, "live", 0.10);
        try (SequenceEngine s = model.openSequence(settings(), cfg)) {
            s.prefill(prompt, 0, new dev.canopy.engine.CancellationToken(), GenerationListener.NONE);
        } // saved
        try (SequenceEngine s = model.openSequence(settings(), cfg)) {
            assertThat(s.resume(prompt)).isEqualTo(prompt.length);
            trashSlot(dir.resolve("live.kvpages"), 2); // after the open-time check: found when the first step reads the pages
            trashSlot(dir.resolve("live.kvpages"), 5);
            float[] logits = s.logitsAfterHistory();
            assertThat(logits).containsExactly(dense[0]);
            for (int i = 0; i < 6; i++) {
                got[i] = argmax(logits);
                logits = s.decode(got[i]);
                assertThat(logits).as("logits after step %d", i).containsExactly(dense[i + 1]);
            }
            assertThat(s.tieredKv().stats().damaged()).isPositive();
        }
        assertThat(got).containsExactly(want);
    }

    /** Overwrites slot {@code slot} of a page file with garbage (behind the store's back). */
    static void trashSlot(Path pageFile, int slot) throws IOException {
        try (FileChannel ch = FileChannel.open(pageFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long slotBytes = 4096; // the tiny model's pages (16 tokens of 32-wide F16 rows, abstract) fit one 4 KiB slot
            assertThat(ch.size()).isGreaterThan((slot + 1) * slotBytes);
            ByteBuffer junk = ByteBuffer.allocate((int) slotBytes);
            for (int i = 0; i < slotBytes; i++) junk.put((byte) (i * 31 + 7));
            ch.write(junk.flip(), slot * slotBytes);
        }
    }

    private List<String> runChild(String id, int promptTokens, long seed, int steps) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KvResumeChild.class.getName(), modelFile.toString(), dir.toString(), id, Integer.toString(promptTokens),
                Long.toString(seed), Integer.toString(steps)));
        Process p = new ProcessBuilder(cmd).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("child failed: %s", stderr).isZero();
        return stdout.lines().filter(l -> !l.isBlank()).toList();
    }
}
