package dev.canopy.memory.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.memory.Chats;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.Message;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.forest.TreeChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {

    @TempDir
    Path dir;

    @Test
    void anExportImportsIntoAnotherStoreWithTheSameMemories() {
        Path file = dir.resolve("export.json");
        List<String> texts;
        List<String> contents;
        try (MemoryStore a = MemoryStore.open(dir.resolve("a.db"), MemoryConfig.noModel())) {
            var c = a.conversations().create("Music", "m", "{\"t\":1}").id();
            Instant t = Instant.parse("2024-02-01T10:00:00Z");
            for (int day = 0; day < 3; day++) {
                t = Chats.add(a, c, t.plusSeconds(86_400), "Ana", "Bo", "Practiced cello for " + (day + 1) + " hours.",
                        "Your cello teacher Ms Pike must be proud.", "One more thing");
            }
            a.rememberAll();
            a.facts().add("My favourite composer is Elgar.", "Ana");
            a.exportTo(file);
            texts = a.facts().list(0, 1000).stream().map(Fact::text).sorted().toList();
            contents = a.conversations().messages(c).stream().map(Message::content).toList();
        }
        assertThat(file).exists();

        try (MemoryStore b = MemoryStore.open(dir.resolve("b.db"), MemoryConfig.noModel())) {
            MemoryExport.ImportReport report = b.importFrom(file);
            assertThat(report.conversations()).isEqualTo(1);
            assertThat(report.facts()).isEqualTo(texts.size());
            assertThat(b.facts().list(0, 1000).stream().map(Fact::text).sorted().toList()).isEqualTo(texts);
            var c = b.conversations().list().getFirst().id();
            assertThat(b.conversations().messages(c)).extracting(Message::content).isEqualTo(contents);
            assertThat(b.conversations().get(c).orElseThrow().settings()).isEqualTo("{\"t\":1}");
            assertThat(b.recall(c, "cello teacher").facts()).isNotEmpty();
            assertThat(b.recall(c, "favourite composer").facts().getFirst().text()).contains("Elgar");
            assertThat(b.database().<List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
            assertThat(b.integrityProblems()).isEmpty();
            assertThat(b.remember().cells()).isZero(); // cells came along: nothing is extracted twice

            MemoryExport.ImportReport again = b.importFrom(file);
            assertThat(again.factsMerged()).isEqualTo(texts.size()); // re-import adds sources, not copies
            assertThat(b.facts().count()).isEqualTo(texts.size());
        }
    }

    @Test
    void aFileThatIsNotAnExportIsRejected() throws Exception {
        Path bogus = dir.resolve("bogus.json");
        Files.writeString(bogus, "{\"hello\": 1}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        try (MemoryStore s = MemoryStore.open(dir.resolve("x.db"), MemoryConfig.noModel())) {
            for (Path p : List.of(bogus, broken)) {
                assertThatThrownBy(() -> s.importFrom(p)).isInstanceOfSatisfying(MemoryStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.INVALID));
            }
            assertThat(s.conversations().list()).isEmpty();
        }
    }
}
