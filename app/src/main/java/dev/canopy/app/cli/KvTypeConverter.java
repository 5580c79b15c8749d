package dev.canopy.app.cli;

import dev.canopy.engine.KvPrecision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;

/** {@code --kv-type f16|q8_0|q4_0}: the names of {@link KvPrecision}, as llama.cpp's {@code --cache-type-k} spells them. */
public final class KvTypeConverter implements ITypeConverter<KvPrecision> {
    /** The option's description, shared by every command that has it. */
    public static final String DESCRIPTION = "KV cache precision: f16 (exact, default), q8_0 (about half the memory) or q4_0 (about"
            + " a quarter); models whose head size is not a multiple of 32 keep f16, with a notice.";

    @Override
    public KvPrecision convert(String value) {
        try {
            return KvPrecision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The completion candidates: f16, q8_0, q4_0. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(KvPrecision.values()).map(KvPrecision::cliName).iterator();
        }
    }
}
