package dev.canopy.memory.archfixture;

import dev.canopy.tools.memory.eval.RecallAtK;

/** A deliberate violation for ToolsApartTest: a product class that depends on the tools module. */
public final class UsesTools {
    private UsesTools() {}

    static Class<?> tool() {
        return RecallAtK.class;
    }
}
