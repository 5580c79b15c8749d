package dev.canopy.kv;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvKeyTest {

    @Test
    void theFactoriesNameWhoseKvItIs() {
        assertThat(KvKey.conversation(12).name()).as("a chat's KV keeps the name it always had").isEqualTo("12");
        assertThat(KvKey.apiSlot(3).name()).isEqualTo("api-slot-3");
        assertThat(KvKey.named("bench_1.a-b").pageFile(Path.of("kv"))).isEqualTo(Path.of("kv", "bench_1.a-b.kvpages"));
        assertThat(KvKey.apiSlot(0).manifestFile(Path.of("kv"))).isEqualTo(Path.of("kv", "api-slot-0.kvmanifest"));
    }

    @Test
    void aNameThatIsNotASafeFileNameIsRefusedWhereTheKeyIsMade() {
        for (String bad : new String[] {"", "../etc", "a/b", ".hidden", "with space", "x".repeat(129)}) {
            assertThatThrownBy(() -> KvKey.named(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("KV name");
        }
        assertThatThrownBy(() -> KvKey.named(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KvKey.conversation(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KvKey.apiSlot(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
