package dev.canopy.engine;

import java.util.Arrays;
import java.util.Locale;

/** How a generation proposes tokens to verify ahead of decoding them one at a time. */
public enum SpeculationMode {
    /** Decode one token per step. */
    OFF,
    /** Propose what followed the latest n-gram where it occurred earlier in the context (prompt lookup). */
    LOOKUP,
    /** A smaller model with the same vocabulary proposes the tokens (a draft model). */
    DRAFT;

    /** The name on the command line ({@code off}, {@code lookup}). */
    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    /** The mode of a command-line name, or a clear error naming the choices. */
    public static SpeculationMode parse(String name) {
        for (SpeculationMode m : values()) if (m.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException("--speculative must be one of "
                + String.join(", ", Arrays.stream(values()).map(SpeculationMode::cliName).toList()) + ", not '" + name + "'");
    }
}
