package dev.canopy.app.summarize;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MergePlanTest {
    @Test
    void groupsAreConsecutiveWithinBudgetAndAtLeastHalveTheCount() {
        Random r = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int budget = 100 + r.nextInt(400);
            int[] sizes = new int[2 + r.nextInt(40)];
            for (int i = 0; i < sizes.length; i++) sizes[i] = 1 + r.nextInt(budget / 2);

            List<List<Integer>> groups = MergePlan.groups(sizes, budget);

            List<Integer> flat = new ArrayList<>();
            groups.forEach(flat::addAll);
            assertThat(flat).containsExactlyElementsOf(java.util.stream.IntStream.range(0, sizes.length).boxed().toList());
            for (List<Integer> g : groups) assertThat(g.stream().mapToInt(i -> sizes[i]).sum()).isLessThanOrEqualTo(budget);
            for (List<Integer> g : groups.subList(0, groups.size() - 1)) assertThat(g).hasSizeGreaterThanOrEqualTo(2);
            assertThat(groups.size()).isLessThanOrEqualTo((sizes.length + 1) / 2);
        }
    }
}
