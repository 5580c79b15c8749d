package dev.canopy.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextStreamTest {
    final List<String> deltas = new ArrayList<>();
    final GenerationListener collect = new GenerationListener() {
        @Override public void onText(String delta) { deltas.add(delta); }
    };

    @Test
    void aCharacterSplitAcrossTokensIsEmittedWhole() {
        TextStream s = new TextStream(List.of(), collect);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes
        s.add(new byte[] {'a', euro[0]});
        s.add(new byte[] {euro[1]});
        s.add(new byte[] {euro[2], 'b'});
        s.finish();
        assertThat(deltas).containsExactly("a", "€b");
        assertThat(s.text()).isEqualTo("a€b");
    }

    @Test
    void aStopStringEndsTheTextAndIsNeverEmitted() {
        TextStream s = new TextStream(List.of("</s>", "\nUser:"), collect);
        assertThat(s.add(bytes("Hello"))).isFalse();
        assertThat(s.add(bytes(" there\nUs"))).isFalse();
        assertThat(String.join("", deltas)).isEqualTo("Hello there"); // "\nUs" is held back
        assertThat(s.add(bytes("er: hi"))).isTrue();
        s.finish();
        assertThat(s.text()).isEqualTo("Hello there");
        assertThat(String.join("", deltas)).isEqualTo("Hello there");
    }

    @Test
    void heldBackTextIsReleasedWhenItStopsLookingLikeAStop() {
        TextStream s = new TextStream(List.of("###"), collect);
        s.add(bytes("a#"));
        assertThat(String.join("", deltas)).isEqualTo("a");
        s.add(bytes("b"));
        assertThat(String.join("", deltas)).isEqualTo("a#b");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
