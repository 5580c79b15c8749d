package dev.canopy.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistenceTest {
    static final KvLayout LAYOUT = layout(3, 16, KvType.F16);
    static final KvBudgets BUDGETS = new KvBudgets(0, hostBudget(LAYOUT, 300, 0.25), KvBudgets.UNLIMITED, KvType.F16);

    @TempDir Path dir;

    @Test
    void aSavedConversationReopensInANewProcessAndContinuesIdentically() throws Exception {
        int tokens = 203; // ends inside a page: the open page is saved too
        try (KvStore saved = KvStore.create(spec(dir, "chat", LAYOUT, BUDGETS))) {
            append(saved, 31, 150);
            append(saved, 31, 53);
            saved.putAttachment("logits", "last-logits".getBytes(StandardCharsets.UTF_8));
        }
        List<String> child = runChild("chat", 31, tokens, 40);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(expected, true, StandardCharsets.UTF_8);
        try (KvStore neverClosed = KvStore.create(spec(dir, "reference", LAYOUT, KvBudgets.allInRam(KvType.F16)))) {
            append(neverClosed, 31, 203);
            out.println("tokens " + neverClosed.tokenCount() + " attachment last-logits");
            for (int l = 0; l < 3; l++) {
                byte[][] kv = gatherAll(neverClosed, l);
                out.println("open " + l + " " + sha256(kv[0]) + " " + sha256(kv[1]));
            }
            append(neverClosed, 31, 40);
            for (int l = 0; l < 3; l++) {
                byte[][] kv = gatherAll(neverClosed, l);
                out.println("continued " + l + " " + sha256(kv[0]) + " " + sha256(kv[1]));
            }
        }
        List<String> want = expected.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(child.subList(0, want.size())).containsExactlyElementsOf(want);
        long written = Long.parseLong(child.get(want.size()).substring("written ".length()));
        long pageBytes = 2L * 16 * LAYOUT.rowElements() * 2;
        assertThat(written).as("the reopened store only wrote the new pages, no prefill").isLessThan(3 * 5 * (pageBytes + 4096));
    }

    @Test
    void anotherModelFileOrOtherSettingsAreRefused() throws Exception {
        try (KvStore s = KvStore.create(spec(dir, "c1", LAYOUT, BUDGETS))) {
            append(s, 32, 50);
        }
        int[] tokens = tokenIds(32, 0, 50);
        KvStoreSpec spec = spec(dir, "c1", LAYOUT, BUDGETS);
        assertThat(KvStore.open(spec.withIdentity(new StoreIdentity("other-model", IDENTITY.settingsHash())), tokens)).isEmpty();
        assertThat(KvStore.open(spec.withIdentity(new StoreIdentity(IDENTITY.modelFingerprint(), "other-settings")), tokens)).isEmpty();
        assertThat(KvStore.open(spec.withBudgets(BUDGETS.withCold(KvType.Q8_0)), tokens)).isEmpty();
        assertThat(KvStore.open(spec(dir, "c1", layout(3, 32, KvType.F16), BUDGETS), tokens)).isEmpty();
        assertThat(KvStore.open(spec, tokenIds(99, 0, 50))).as("another conversation").isEmpty();
        assertThat(runChild("c1", 32, 50, 0)).as("same identity in a new process").first().asString().startsWith("tokens 50");
    }

    @Test
    void anEditedConversationResumesFromTheCommonPrefix() {
        try (KvStore s = KvStore.create(spec(dir, "edit", LAYOUT, BUDGETS))) {
            append(s, 33, 120);
        }
        int[] edited = tokenIds(33, 0, 120);
        edited[70] = -5; // the user edited a message at position 70
        try (KvStore s = KvStore.open(spec(dir, "edit", LAYOUT, BUDGETS), edited).orElseThrow();
             KvStore ref = KvStore.create(spec(dir, "edit-ref", LAYOUT, KvBudgets.allInRam(KvType.F16)))) {
            assertThat(s.tokenCount()).isEqualTo(70);
            assertThat(s.tokenCount(2)).isEqualTo(70);
            append(ref, 33, 70);
            append(s, 44, 30);
            append(ref, 44, 30);
            for (int l = 0; l < 3; l++) assertThat(gatherAll(s, l)).isDeepEqualTo(gatherAll(ref, l));
        }
    }

    @Test
    void aMissingOrCorruptManifestMeansStartAfresh() throws IOException {
        try (KvStore s = KvStore.create(spec(dir, "m", LAYOUT, BUDGETS))) {
            append(s, 34, 40);
        }
        KvStoreSpec spec = spec(dir, "m", LAYOUT, BUDGETS);
        Files.writeString(dir.resolve("m.kvmanifest.tmp"), "half-written");
        assertThat(KvStore.open(spec, tokenIds(34, 0, 40))).isPresent().get().satisfies(KvStore::close);
        byte[] m = Files.readAllBytes(spec.manifestFile());
        m[m.length / 2] ^= 1;
        Files.write(spec.manifestFile(), m);
        assertThat(KvStore.open(spec, tokenIds(34, 0, 40))).isEmpty();
        Files.delete(spec.manifestFile());
        assertThat(KvStore.open(spec, tokenIds(34, 0, 40))).isEmpty();
    }

    @Test
    void aCrashAfterSavingLeavesTheSavedStateIntact() throws IOException {
        KvStoreSpec spec = spec(dir, "crash", LAYOUT, BUDGETS);
        try (KvStore s = KvStore.create(spec)) {
            append(s, 35, 40); // 2 full pages + an open one per layer
            s.save();
            int[] saved = s.tokens();
            byte[][][] before = new byte[3][][];
            for (int l = 0; l < 3; l++) before[l] = gatherAll(s, l);
            append(s, 35, 30); // rewrites the open pages and adds new ones, no save: then the process "dies"
            s.forcePageFile();
            Path after = Files.createDirectory(dir.resolve("after-crash")); // the files as the crash left them
            Files.copy(spec.pageFile(), after.resolve(spec.pageFile().getFileName()));
            Files.copy(spec.manifestFile(), after.resolve(spec.manifestFile().getFileName()));
            assertThatThrownBy(() -> KvStore.open(spec, saved)).as("one store per conversation").isInstanceOf(IllegalStateException.class);

            try (KvStore reopened = KvStore.open(spec(after, "crash", LAYOUT, BUDGETS), saved).orElseThrow()) {
                assertThat(reopened.verifyAll()).as("the saved pages were never overwritten").isEmpty();
                for (int l = 0; l < 3; l++) assertThat(gatherAll(reopened, l)).isDeepEqualTo(before[l]);
            }
        }
    }

    private List<String> runChild(String id, long seed, int tokens, int more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ReopenChild.class.getName(), dir.toString(), id, Long.toString(seed), Integer.toString(tokens), Integer.toString(more)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("child failed: %s", stderr).isZero();
        return stdout.lines().filter(l -> !l.isBlank()).toList();
    }
}
