package dev.canopy.engine.speculative;

import dev.canopy.engine.Tokenizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Prompt lookup's proposals and the draft length's adaptation, without a model. */
class DraftingTest {
    @Test
    void lookupProposesWhatFollowedTheLatestMatchOfTheLongestNgram() {
        int[] c = {1, 2, 3, 9, 9, 5, 2, 3, 4, 7, 8, 0, 2, 3};
        // "2 3" occurred at 1 (then 9 9 5) and at 6 (then 4 7 8): the latest wins
        assertThat(new PromptLookup().propose(c, c.length, 3)).containsExactly(4, 7, 8);
        int[] d = {5, 6, 7, 1, 2, 3, 4, 6, 7};
        // "6 7" once before, followed by 1 2 3 4; the limit holds
        assertThat(new PromptLookup().propose(d, d.length, 2)).containsExactly(1, 2);
        assertThat(new PromptLookup().propose(new int[] {1, 2, 3, 4}, 4, 5)).as("no match").isEmpty();
        assertThat(new PromptLookup().propose(c, c.length, 0)).isEmpty();
    }

    @Test
    void lengthGrowsWithConfirmedDraftsAndShrinksToTheConfirmedPart() {
        DraftLength l = timed(new DraftLength(12));
        assertThat(l.next()).as("starts with the 4-row graph").isEqualTo(3);
        l.verified(3, 3, 1);
        assertThat(l.next()).as("fills the 8-row graph").isEqualTo(7);
        l.verified(7, 7, 1);
        assertThat(l.next()).as("up to the limit").isEqualTo(12);
        l.verified(12, 5, 1);
        assertThat(l.next()).as("one past the confirmed part").isEqualTo(6);
        l.verified(6, 1, 1);
        assertThat(l.next()).as("never below the 4-row graph").isEqualTo(3);
    }

    @Test
    void pausesWhenFewDraftsAreConfirmedAndBacksOffLonger() {
        DraftLength l = timed(new DraftLength(4));
        l.verified(4, 1, 1);                                       // 1 of 4 confirmed: the window goes on
        for (int i = 0; i < 3; i++) l.verified(4, 0, 1);          // 16 proposed, 1 confirmed
        assertThat(l.pauses()).isEqualTo(1);
        int paused = 0;
        while (l.next() == 0) paused++;
        assertThat(paused).isEqualTo(DraftLength.FIRST_PAUSE);
        l.verified(4, 1, 1);
        for (int i = 0; i < 3; i++) l.verified(4, 0, 1);
        paused = 0;
        while (l.next() == 0) paused++;
        assertThat(paused).as("the second pause is longer").isEqualTo(2 * DraftLength.FIRST_PAUSE);
    }

    @Test
    void aDraftNobodyConfirmsStopsAfterTwoProposals() {
        DraftLength l = timed(new DraftLength(8));
        l.verified(3, 0, 1);
        assertThat(l.pauses()).as("one rejected draft may be bad luck").isZero();
        l.verified(3, 0, 1);
        assertThat(l.pauses()).as("two drafts of " + DraftLength.START + " with nothing confirmed end the window").isEqualTo(1);
        assertThat(l.next()).isZero();
    }

    @Test
    void aDearWindowPausesLongEnoughToLoseAtMostTheBudget() {
        DraftLength l = timed(new DraftLength(8));                  // one-token steps: 1 microsecond
        l.verified(3, 0, 2_800);                                   // a 4-row step costing 2.8 steps, nothing confirmed
        l.verified(3, 0, 2_800);                                   // 5.6 us for 2 tokens: 3.6 us lost
        int paused = 0;
        while (l.next() == 0) paused++;
        assertThat(paused).as("3.6 steps lost are %.0f%% of the pause", 100 * DraftLength.LOSS_BUDGET)
                .isEqualTo((int) Math.ceil(3_600 / (DraftLength.LOSS_BUDGET * 1_000)));
        DraftLength cheap = timed(new DraftLength(8));
        cheap.verified(3, 0, 1_100);
        cheap.verified(3, 0, 1_100);
        paused = 0;
        while (cheap.next() == 0) paused++;
        assertThat(paused).as("a cheap failed window waits the first pause").isEqualTo(DraftLength.FIRST_PAUSE);
    }

    @Test
    void theFirstTokensDecodeOneAtATimeToTimeTheCostToBeat() {
        DraftLength l = new DraftLength(4);
        for (int i = 0; i < DraftLength.TIMED_PLAIN_STEPS; i++) {
            assertThat(l.next()).isZero();
            l.plainStep(5_000 - i);
        }
        assertThat(l.next()).isEqualTo(DraftLength.START);
    }

    /** A draft length whose one-token steps took 1 microsecond at best. */
    private static DraftLength timed(DraftLength l) {
        for (int i = 0; i < DraftLength.TIMED_PLAIN_STEPS; i++) l.plainStep(1_000 + i);
        return l;
    }

    @Test
    void pausesWhenVerifiedTokensCostMoreThanOneTokenSteps() {
        DraftLength l = timed(new DraftLength(4));
        for (int i = 0; i < 4; i++) l.verified(4, 2, 4_000);      // 3 tokens per 4x step: slower
        assertThat(l.pauses()).isEqualTo(1);
        DraftLength fast = timed(new DraftLength(4));
        for (int i = 0; i < 4; i++) fast.verified(4, 4, 1_500);   // 5 tokens per 1.5x step: pays
        assertThat(fast.pauses()).isZero();
        assertThat(fast.next()).isEqualTo(4);       // the limit
    }

    @Test
    void pausesForTheLongestWhenEvenAVerifiedRowCostsAOneTokenStep() {
        DraftLength l = timed(new DraftLength(4));
        for (int i = 0; i < 4; i++) l.verified(4, 4, 6_000);      // every draft confirmed, 1.2 steps per row
        assertThat(l.pauses()).isEqualTo(1);
        int paused = 0;
        while (l.next() == 0) paused++;
        assertThat(paused).as("no acceptance can pay: the longest pause at once").isEqualTo(DraftLength.MAX_PAUSE);
    }

    @Test
    void aDraftVocabularyMustHaveTheSameSizeAndTextPerToken() {
        Tokenizer abc = vocab("a", "b", "c");
        assertThat(DraftVocabulary.mismatch(abc, vocab("a", "b", "c"))).isEmpty();
        assertThat(DraftVocabulary.mismatch(abc, vocab("a", "b"))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("2 tokens").contains("same vocabulary");
        assertThat(DraftVocabulary.mismatch(abc, vocab("a", "x", "c"))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("token 1 is 'b'").contains("'x'");
    }

    /** A tokenizer that only knows its tokens' texts (isolates the check). */
    private static Tokenizer vocab(String... pieces) {
        return new Tokenizer() {
            @Override public int[] encode(String text, boolean addBos) { throw new UnsupportedOperationException(); }
            @Override public String decode(int[] tokens) { return pieces[tokens[0]]; }
            @Override public int vocabSize() { return pieces.length; }
            @Override public boolean isEndOfGeneration(int token) { return false; }
        };
    }
}
