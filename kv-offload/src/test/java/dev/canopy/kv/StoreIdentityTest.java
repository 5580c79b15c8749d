package dev.canopy.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class StoreIdentityTest {
    @Test
    void theFingerprintFollowsTheModelFile(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.gguf");
        byte[] data = new byte[3 << 20];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        Files.write(model, data);
        FileTime t = Files.getLastModifiedTime(model);
        String a = StoreIdentity.fingerprint(model);
        assertThat(StoreIdentity.fingerprint(model)).isEqualTo(a);
        data[data.length - 5] ^= 1; // a changed tail (tensor data near the end)
        Files.write(model, data);
        Files.setLastModifiedTime(model, t);
        assertThat(StoreIdentity.fingerprint(model)).isNotEqualTo(a);
        assertThat(StoreIdentity.contentHash(model)).startsWith("size=" + data.length);
    }

    @Test
    void settingsHashesAreStableAndOrderSensitive() {
        assertThat(StoreIdentity.settingsHash("a=1", "b=2")).isEqualTo(StoreIdentity.settingsHash("a=1", "b=2"))
                .isNotEqualTo(StoreIdentity.settingsHash("b=2", "a=1")).isNotEqualTo(StoreIdentity.settingsHash("a=1b=2"));
    }
}
