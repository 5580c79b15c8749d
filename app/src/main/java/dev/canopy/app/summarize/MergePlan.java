package dev.canopy.app.summarize;

import java.util.ArrayList;
import java.util.List;

/** Groups consecutive summaries into merge prompts, as many per group as fit the budget. */
final class MergePlan {
    private MergePlan() {}

    /**
     * Index groups over {@code tokens} (each item's rendered size, separator included) such that each
     * group's total is at most {@code budget}. Items never exceed half the budget, so every group but
     * possibly the last holds at least two.
     */
    static List<List<Integer>> groups(int[] tokens, int budget) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (!cur.isEmpty() && sum + tokens[i] > budget) {
                out.add(cur);
                cur = new ArrayList<>();
                sum = 0;
            }
            cur.add(i);
            sum += tokens[i];
        }
        if (!cur.isEmpty()) out.add(cur);
        // A lone last item would only be carried up unchanged: give it its predecessor to merge with.
        // Both are at most half the budget, so the pair fits.
        if (out.size() > 1 && out.getLast().size() == 1 && out.get(out.size() - 2).size() > 2) {
            List<Integer> prev = out.get(out.size() - 2);
            out.getLast().addFirst(prev.removeLast());
        }
        return out;
    }
}
