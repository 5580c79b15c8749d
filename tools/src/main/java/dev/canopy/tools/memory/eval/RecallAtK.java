package dev.canopy.tools.memory.eval;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Evidence recall@k: the share of a question's evidence turns among the retrieved, averaged. */
public final class RecallAtK {

    private final Map<Integer, double[]> byCategory = new TreeMap<>();
    private double sum;
    private int count;

    /** Recall of one question. */
    public static double of(Collection<String> evidence, Collection<String> retrieved) {
        if (evidence.isEmpty()) {
            return 0;
        }
        long found = evidence.stream().filter(retrieved::contains).count();
        return (double) found / evidence.size();
    }

    public void add(int category, double recall) {
        sum += recall;
        count++;
        byCategory.computeIfAbsent(category, c -> new double[2]);
        byCategory.get(category)[0] += recall;
        byCategory.get(category)[1]++;
    }

    public LocomoReport.Scores scores() {
        Map<String, Double> cats = new TreeMap<>();
        byCategory.forEach((c, v) -> cats.put(String.valueOf(c), v[0] / v[1]));
        return new LocomoReport.Scores(count == 0 ? 0 : sum / count, cats);
    }

    public int count() {
        return count;
    }
}
