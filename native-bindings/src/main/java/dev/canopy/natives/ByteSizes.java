package dev.canopy.natives;

import java.util.Locale;

/** Sizes of memory as people read them, the same in every message: "3 KiB", "1.6 MiB", "256 MiB", "2.0 GiB". */
public final class ByteSizes {
    private ByteSizes() {}

    /** KiB below 1 MiB; one decimal below 10 MiB (so a 1.6 MiB budget is not called "1 MiB"); GiB from 1 GiB on. */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes < 1L << 20) return Math.max(bytes == 0 ? 0 : 1, Math.round(bytes / 1024.0)) + " KiB";
        double m = bytes / 1048576.0;
        if (m >= 10) return Math.round(m) + " MiB";
        String tenths = String.format(Locale.ROOT, "%.1f", m);
        return (tenths.endsWith(".0") ? tenths.substring(0, tenths.length() - 2) : tenths) + " MiB";
    }
}
