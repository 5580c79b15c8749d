package dev.canopy.memory.retrieve;

import java.util.List;

/**
 * The result of retrieval for one user message.
 *
 * @param facts        the top facts, best first
 * @param prompt       the block to put into the chat prompt (empty when nothing fits or nothing was found)
 * @param promptFacts  how many of {@code facts} the prompt holds (the token budget may cut the tail)
 * @param promptTokens the block's size by the token counter
 */
public record Recall(List<RecalledFact> facts, String prompt, int promptFacts, int promptTokens) {

    public static final Recall EMPTY = new Recall(List.of(), "", 0, 0);

    public Recall {
        facts = List.copyOf(facts);
    }

    /** The facts that made it into the prompt. */
    public List<RecalledFact> used() {
        return facts.subList(0, promptFacts);
    }
}
