package dev.canopy.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.canopy.kv.KvTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Budgets read the way they were set: "1.6 MiB" stays 1.6 MiB in every message. */
class KvBudgetsTest {
    @TempDir Path dir;

    @Test
    void budgetsKeepTheirFraction() {
        assertThat(KvBudgets.describe((long) (1.6 * (1 << 20)))).isEqualTo("1.6 MiB");
        assertThat(KvBudgets.describe(2L << 20)).isEqualTo("2 MiB");
        assertThat(KvBudgets.describe(256L << 20)).isEqualTo("256 MiB");
        assertThat(KvBudgets.describe(2621)).isEqualTo("3 KiB");
        assertThat(KvBudgets.describe(0)).isEqualTo("0 KiB");
        assertThat(KvBudgets.describe(KvBudgets.UNLIMITED)).isEqualTo("unlimited");
    }

    @Test
    void theTierReportNamesTheBudgetsAsSet() {
        long host = (long) (1.6 * (1 << 20));
        KvBudgets b = new KvBudgets(0, host, KvBudgets.UNLIMITED, KvType.F16);
        try (KvStore s = KvStore.create(spec(dir, "report", layout(2, 16, KvType.F16), b).withDevices(TierDevices.cpuOnly()))) {
            assertThat(s.tierReport()).contains("device absent").contains("host 1.6 MiB").contains("disk unlimited")
                    .doesNotContain("host 1 MiB");
        }
    }
}
