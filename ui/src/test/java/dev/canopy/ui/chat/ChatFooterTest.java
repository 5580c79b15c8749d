package dev.canopy.ui.chat;

import dev.canopy.app.chat.ReplyStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures under an answer say what speculative decoding did ("Faster answers", decision 0160). */
class ChatFooterTest {
    @Test
    void acceptedGuessesOrWhySpeculationDidNotRun() {
        ReplyStats ran = new ReplyStats(100, 64, 30, 50, 164, 4096, "END_OF_TEXT", List.of(), 100, 900, List.of(), 60, 45, null);
        assertThat(ChatTexts.footer(ran)).endsWith(" · speculative: 45 of 60 guessed tokens accepted (75%)");
        ReplyStats sampled = new ReplyStats(100, 64, 30, 50, 164, 4096, "END_OF_TEXT", List.of(), 100, 900, List.of(), 0, 0,
                "speculative decoding runs for plain greedy decoding (temperature 0, no penalties or grammar)");
        assertThat(ChatTexts.footer(sampled)).endsWith(" · not speculative: speculative decoding runs for plain greedy decoding"
                + " (temperature 0, no penalties or grammar)");
        ReplyStats off = new ReplyStats(100, 64, 30, 50, 164, 4096, "END_OF_TEXT", List.of(), 100, 900, List.of());
        assertThat(ChatTexts.footer(off)).doesNotContain("speculative");
    }
}
