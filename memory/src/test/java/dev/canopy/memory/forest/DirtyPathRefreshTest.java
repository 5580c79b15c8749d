package dev.canopy.memory.forest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.summarize.RefreshReport;
import dev.canopy.memory.summarize.Refresher;
import dev.canopy.memory.summarize.SummaryRequest;
import dev.canopy.memory.summarize.Summarizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An insert re-summarizes only its leaf-to-root path (plus nodes a split creates), bottom-up, level by level. */
class DirtyPathRefreshTest {

    @TempDir
    Path dir;

    /** Records every call; each call must hold one level only. */
    static final class CountingSummarizer implements Summarizer {
        final List<List<SummaryRequest>> calls = new CopyOnWriteArrayList<>();

        @Override
        public List<String> summarize(List<SummaryRequest> requests) {
            calls.add(List.copyOf(requests));
            return requests.stream().map(r -> "summary of " + r.children().size() + " at level " + r.level()).toList();
        }
    }

    @Test
    void insertTouchesOnlyItsPath() {
        try (Database db = Database.open(dir.resolve("path.db"))) {
            CountingSummarizer summarizer = new CountingSummarizer();
            Refresher refresher = new Refresher(db, summarizer, Optional.empty());
            Random rnd = new Random(3);
            Tree tree = db.write("setup", s -> TreeFixture.tree(s, "path", 8));
            db.write("build", s -> {
                for (int i = 0; i < 2000; i++) {
                    long ts = rnd.nextInt(1_000_000) * 1000L;
                    new MemTree(s, TreeFixture.reload(s, tree)).insert(ItemRef.fact(TreeFixture.fact(s, ts, "f" + i)), ts, ts);
                }
                return null;
            });
            RefreshReport full = refresher.refresh();
            long innerNodes = db.read("count", s -> s.longValue("SELECT count(*) FROM nodes WHERE level > 0"));
            assertThat(full.nodesSummarized()).isEqualTo((int) innerNodes);

            int height = db.read("h", s -> TreeChecker.height(s, TreeFixture.reload(s, tree)));
            assertThat(height).isGreaterThanOrEqualTo(4);
            int exactPathInserts = 0;
            for (int i = 0; i < 60; i++) {
                long maxIdBefore = db.read("max", s -> s.longValue("SELECT max(id) FROM nodes"));
                long ts = rnd.nextInt(1_000_000) * 1000L;
                long leaf = db.write("insert", s -> new MemTree(s, TreeFixture.reload(s, tree))
                        .insert(ItemRef.fact(TreeFixture.fact(s, ts, "new " + ts)), ts, ts));
                List<Long> path = db.read("path", s -> Nodes.pathToRoot(s, leaf));
                List<Long> ancestors = path.subList(1, path.size());
                Set<Long> created = new HashSet<>(db.read("new", s -> s.longs(
                        "SELECT id FROM nodes WHERE id > ? AND level > 0", maxIdBefore)));
                summarizer.calls.clear();

                RefreshReport r = refresher.refresh();

                Set<Long> touched = new HashSet<>(r.summarizedNodeIds());
                assertThat(touched).containsAll(ancestors);
                // besides the path, only nodes of a split: the new halves, and the old half the leaf did not go to
                Set<Long> extra = new HashSet<>(touched);
                extra.removeAll(ancestors);
                extra.removeAll(created);
                assertThat(extra.size()).isLessThanOrEqualTo(created.size());
                Set<Integer> splitLevels = new HashSet<>(db.read("lv", s -> s.listOnce(
                        "SELECT level FROM nodes WHERE id > ? AND level > 0", rs -> rs.getInt(1), maxIdBefore)));
                for (long x : extra) {
                    int level = db.read("lv", s -> Nodes.node(s, x).level());
                    assertThat(splitLevels).contains(level);
                }
                assertThat(touched.size()).isLessThanOrEqualTo(2 * ancestors.size() + 1);
                if (created.isEmpty()) {
                    assertThat(r.nodesSummarized()).isEqualTo(ancestors.size());
                    exactPathInserts++;
                }
                List<Integer> levels = new ArrayList<>();
                for (List<SummaryRequest> call : summarizer.calls) {
                    assertThat(call).extracting(SummaryRequest::level).containsOnly(call.getFirst().level());
                    levels.add(call.getFirst().level());
                }
                assertThat(levels).isSorted().doesNotHaveDuplicates();
            }
            assertThat(exactPathInserts).isGreaterThan(30);
            assertThat(db.<java.util.List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
        }
    }
}
