package dev.canopy.memory.fact;

/** Confirms that two facts say the same thing (MemForest asks the model after a vector match). */
@FunctionalInterface
public interface DuplicateJudge {
    boolean same(String existing, String candidate);
}
