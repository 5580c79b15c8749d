package dev.canopy.memory.forest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.summarize.ExtractiveSummarizer;
import dev.canopy.memory.summarize.Refresher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Thousands of random inserts and deletes; the invariants are checked all along. */
class MemTreeInvariantsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fan-out {0}")
    @ValueSource(ints = {3, 8, 10})
    void randomInsertsAndDeletesKeepEveryInvariant(int fanout) {
        try (Database db = Database.open(dir.resolve("tree-" + fanout + ".db"))) {
            Random rnd = new Random(1000 + fanout);
            Tree tree = db.write("setup", s -> TreeFixture.tree(s, "random", fanout));
            List<Long> live = new ArrayList<>();
            Map<Long, Long> leafOf = new HashMap<>();
            int maxLive = 0;
            for (int round = 0; round < 12; round++) {
                db.write("ops", s -> {
                    Tree t = TreeFixture.reload(s, tree);
                    for (int op = 0; op < 250; op++) {
                        t = TreeFixture.reload(s, t);
                        MemTree memTree = new MemTree(s, t);
                        if (live.isEmpty() || rnd.nextDouble() < 0.6) {
                            long ts = rnd.nextInt(400) * 1000L; // many equal times: the id breaks ties
                            long f = TreeFixture.fact(s, ts, "fact " + rnd.nextInt());
                            leafOf.put(f, memTree.insert(ItemRef.fact(f), ts, ts));
                            live.add(f);
                        } else {
                            long f = live.remove(rnd.nextInt(live.size()));
                            memTree.remove(leafOf.remove(f));
                            FactStore.delete(s, f);
                        }
                    }
                    assertThat(TreeChecker.check(s, false)).isEmpty();
                    return null;
                });
                maxLive = Math.max(maxLive, live.size());
            }
            assertThat(live.size()).isGreaterThan(300);
            int height = db.read("height", s -> TreeChecker.height(s, TreeFixture.reload(s, tree)));
            int minFill = (fanout + 1) / 2;
            // a B+-tree with non-root nodes at least minFill full: n >= 2 * minFill^(h-1)
            assertThat(height).isLessThanOrEqualTo(1 + (int) Math.floor(Math.log(live.size() / 2.0) / Math.log(minFill)));
            assertThat(maxLive).isGreaterThanOrEqualTo(live.size());
            long leaves = db.read("count", s -> s.longValue("SELECT count(*) FROM nodes WHERE level = 0"));
            assertThat(leaves).isEqualTo(live.size());
            long rootCount = db.read("count", s -> s.longValue(
                    "SELECT item_count FROM nodes WHERE id = (SELECT root_id FROM trees WHERE id = ?)", tree.id()));
            assertThat(rootCount).isEqualTo(live.size());

            db.write("drain", s -> {
                for (long f : live) {
                    new MemTree(s, TreeFixture.reload(s, tree)).remove(leafOf.get(f));
                }
                return null;
            });
            assertThat(db.<Long>read("root", s -> TreeFixture.reload(s, tree).rootId())).isNull();
            assertThat(db.<Long>read("nodes", s -> s.longValue("SELECT count(*) FROM nodes"))).isZero();
        }
    }

    @Test
    void refreshClearsEveryDirtyFlagAndFillsSummaries() {
        try (Database db = Database.open(dir.resolve("refresh.db"))) {
            Random rnd = new Random(7);
            Tree tree = db.write("setup", s -> TreeFixture.tree(s, "refresh", 8));
            List<long[]> live = new ArrayList<>();
            db.write("ops", s -> {
                for (int i = 0; i < 1500; i++) {
                    MemTree memTree = new MemTree(s, TreeFixture.reload(s, tree));
                    if (live.isEmpty() || rnd.nextDouble() < 0.7) {
                        long ts = rnd.nextInt(100_000) * 1000L;
                        long f = TreeFixture.fact(s, ts, "word" + rnd.nextInt(50) + " topic" + rnd.nextInt(20) + ".");
                        live.add(new long[] {f, memTree.insert(ItemRef.fact(f), ts, ts)});
                    } else {
                        long[] victim = live.remove(rnd.nextInt(live.size()));
                        memTree.remove(victim[1]);
                        FactStore.delete(s, victim[0]);
                    }
                }
                return null;
            });
            assertThat(db.<Long>read("dirty", s -> s.longValue("SELECT count(*) FROM nodes WHERE dirty > 0"))).isPositive();

            var report = new Refresher(db, new ExtractiveSummarizer(), Optional.empty()).refresh();

            assertThat(report.nodesSummarized()).isPositive();
            assertThat(db.<Long>read("dirty", s -> s.longValue("SELECT count(*) FROM nodes WHERE dirty > 0"))).isZero();
            assertThat(db.<java.util.List<String>>read("check", s -> TreeChecker.check(s, true))).isEmpty();
            assertThat(db.<Long>read("empty", s -> s.longValue("SELECT count(*) FROM nodes WHERE level > 0 AND summary = ''")))
                    .isZero();
            assertThat(db.integrityProblems()).isEmpty();
        }
    }

    @ParameterizedTest(name = "fan-out {0}")
    @ValueSource(ints = {3, 8, 10})
    void itemsArrivingInTimeOrderLeaveFullerNodesBehindTheRightEdge(int fanout) {
        try (Database db = Database.open(dir.resolve("append-" + fanout + ".db"))) {
            Tree tree = db.write("setup", s -> TreeFixture.tree(s, "append", fanout));
            int items = 600;
            db.write("append", s -> {
                for (int i = 0; i < items; i++) {
                    long ts = i * 1000L;
                    new MemTree(s, TreeFixture.reload(s, tree)).insert(ItemRef.fact(TreeFixture.fact(s, ts, "f" + i)), ts, ts);
                }
                return null;
            });
            int kept = fanout + 1 - (fanout + 1) / 2; // a split at the right edge keeps all but minFill children
            List<Integer> fills = db.read("fills", s -> s.list("""
                    SELECT (SELECT count(*) FROM nodes c WHERE c.parent_id = n.id) FROM nodes n
                    WHERE n.level = 1 ORDER BY n.k_ts, n.k_id""", rs -> rs.getInt(1)));
            assertThat(fills.subList(0, fills.size() - 1)).as("every level-1 node but the last").containsOnly(kept);
            assertThat(db.<List<String>>read("check", s -> TreeChecker.check(s, false))).isEmpty();
            int height = db.read("height", s -> TreeChecker.height(s, TreeFixture.reload(s, tree)));
            assertThat(height).isLessThanOrEqualTo((int) Math.ceil(Math.log(items) / Math.log(kept)) + 1);
        }
    }
}
