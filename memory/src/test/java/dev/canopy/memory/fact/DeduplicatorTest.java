package dev.canopy.memory.fact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.text.FtsQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near copies are found by their words (all of them, or all but one in a longer fact) among many
 * facts that share the common ones, on a real SQLite store.
 */
class DeduplicatorTest {
    @TempDir
    Path dir;

    @Test
    void nearCopiesAreFoundAmongManyFactsSharingCommonWords() {
        try (MemoryStore store = MemoryStore.open(dir.resolve("d.db"), MemoryConfig.noModel())) {
            List<String> filler = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) filler.add("The user talked about the garden on day " + i + ".");
            store.facts().addAll(filler, "user");
            long violin = store.facts().add("The user plays the violin in a quartet every Tuesday evening near the old harbour.", "user").id();
            long lisbon = store.facts().add("The user moved to Lisbon in May.", "user").id();

            // 17 words, one of them missing: Jaccard 16/17
            assertThat(find(store, "The user plays the violin in a quartet every Tuesday evening near the harbour."))
                    .hasValue(violin);
            // the same words in another order
            assertThat(find(store, "In May the user moved to Lisbon.")).hasValue(lisbon);
            // a word changed in a short fact is a different fact
            assertThat(find(store, "The user moved to Porto in May.")).isEmpty();
            // sharing only the common words is no copy
            assertThat(find(store, "The user talked about the violin on day 3000.")).isEmpty();
        }
    }

    @Test
    void theQueryAsksForEveryWordThenAllButOneThenAny() {
        List<String> three = List.of("user", "moved", "lisbon");
        assertThat(FtsQuery.nearCopiesOf(three, 6, 0.9)).isEqualTo("\"user\" AND \"moved\" AND \"lisbon\"");
        assertThat(FtsQuery.nearCopiesOf(three, 12, 0.9))
                .isEqualTo("(\"moved\" AND \"lisbon\") OR (\"user\" AND \"lisbon\") OR (\"user\" AND \"moved\")");
        assertThat(FtsQuery.nearCopiesOf(three, 20, 0.9)).isEqualTo(FtsQuery.anyOf(three));
        assertThat(FtsQuery.nearCopiesOf(three, 6, 0.5)).as("a looser threshold allows more missing words").isEqualTo(FtsQuery.anyOf(three));
        assertThat(FtsQuery.nearCopiesOf(List.of(), 6, 0.9)).isEmpty();
    }

    private static OptionalLong find(MemoryStore store, String text) {
        return store.database().read("dedup", s -> Deduplicator.defaults().find(s, text, null));
    }
}
