package dev.canopy.memory;

import dev.canopy.memory.conversation.MessageId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.conversation.Message;
import dev.canopy.memory.conversation.MessageStatus;
import dev.canopy.memory.forest.TreeChecker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes to the database in a loop (token appends, ingestion transactions, forgetting)
 * and is killed with SIGKILL at varying moments; the reopened file must pass SQLite's and the FTS
 * indexes' integrity checks and the tree invariants, and keep every append the child saw committed.
 */
class CrashKillTest {

    @TempDir
    Path dir;

    @Test
    void killedWriterLeavesAConsistentDatabase() throws Exception {
        Path file = dir.resolve("crash.db");
        int[] killAfterLines = {150, 420, 800};
        for (int round = 0; round < killAfterLines.length; round++) {
            String[] lastAppend = runAndKill(file, round, killAfterLines[round]);

            try (MemoryStore store = MemoryStore.open(file, MemoryConfig.noModel())) {
                assertThat(store.integrityProblems()).as("integrity after kill %d", round).isEmpty();
                assertThat(store.database().<java.util.List<String>>read("check", s -> TreeChecker.check(s, false))).isEmpty();
                assertThat(store.database().<Long>read("open", s -> s.longValue(
                        "SELECT count(*) FROM messages WHERE status IN ('PENDING','STREAMING')"))).isZero();
                if (lastAppend != null) {
                    MessageId id = MessageId.parse(lastAppend[1]).orElseThrow();
                    int length = Integer.parseInt(lastAppend[2]);
                    Message m = store.conversations().message(id).orElse(null);
                    if (m != null) { // null only when its conversation was forgotten afterwards
                        assertThat(m.content().length()).isGreaterThanOrEqualTo(length);
                        assertThat(m.status()).isIn(MessageStatus.COMPLETE, MessageStatus.INTERRUPTED);
                    }
                }
                store.rememberAll(); // resumes cells left PENDING and refreshes dirty nodes
                assertThat(store.database().<java.util.List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
                assertThat(store.integrityProblems()).isEmpty();
            }
        }
    }

    /** Runs the child until it printed {@code lines} lines, kills it, returns its last APPENDED line split. */
    private String[] runAndKill(Path file, int seed, int lines) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), CrashWriterMain.class.getName(), file.toString(),
                String.valueOf(seed)).redirectErrorStream(true).start();
        AtomicReference<String> last = new AtomicReference<>();
        AtomicInteger count = new AtomicInteger();
        StringBuilder other = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("APPENDED ")) {
                    last.set(line);
                } else if (!line.startsWith("READY") && !line.startsWith("INGESTED") && !line.startsWith("FORGOT")
                        && !line.startsWith("WARNING")) {
                    other.append(line).append('\n');
                }
                if (count.incrementAndGet() >= lines) {
                    p.destroyForcibly();
                    break;
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count.get()).as("child output: %s", other).isGreaterThanOrEqualTo(lines);
        assertThat(p.exitValue()).isNotZero();
        return last.get() == null ? null : last.get().split(" ");
    }

}
