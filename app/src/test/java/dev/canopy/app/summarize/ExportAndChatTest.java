package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.natives.llama.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Markdown export of a section-cited document, and the follow-up chat primer. */
class ExportAndChatTest {
    @TempDir
    Path dir;

    private SummaryResult summarize() throws Exception {
        StringBuilder html = new StringBuilder("<html><head><title>Guide</title></head><body>");
        for (int s = 1; s <= 4; s++) {
            html.append("<h2>Part ").append(s).append("</h2>");
            for (int p = 0; p < 4; p++) html.append("<p>").append(dev.canopy.app.documents.TestTexts.paragraph(new java.util.Random(s * 10 + p), 4)).append("</p>");
        }
        Document doc = DocumentLoaders.load(Files.writeString(dir.resolve("guide.html"), html.append("</body></html>").toString()));
        try (SummaryStore store = SummaryStore.open(dir.resolve("db.sqlite"))) {
            return new SummarizationPipeline(new FakeModel(400), store, SummarizationPipelineTest.OPTIONS.withChunkTokens(120)).run(doc);
        }
    }

    @Test
    void markdownListsSectionsSoSectionCitationsCanBeFollowed() throws Exception {
        SummaryResult r = summarize();

        String md = r.markdown();

        assertThat(r.document().places()).isEqualTo(4);
        assertThat(md).contains("> Source: guide.html · HTML · 4 sections").contains("[§ ")
                .contains("## Sections").contains("| 1 | Part 1 |").contains("| 4 | Part 4 |");
        assertThat(md.indexOf("## Part summaries")).isGreaterThan(md.indexOf(r.text()));
    }

    @Test
    void theChatPrimerIsStableAndWithinItsBudget() throws Exception {
        SummaryResult r = summarize();
        FakeModel m = new FakeModel(400);

        List<ChatMessage> a = DocumentChat.primer(r, m.tokenizer(), 150);
        List<ChatMessage> b = DocumentChat.primer(r, m.tokenizer(), 150);
        List<ChatMessage> roomy = DocumentChat.primer(r, m.tokenizer(), 10_000);

        assertThat(a).isEqualTo(b).singleElement().extracting(ChatMessage::role).isEqualTo("system");
        assertThat(FakeModel.count(a.getFirst().content())).isLessThanOrEqualTo(150);
        assertThat(a.getFirst().content()).contains(r.text()).contains("Guide");
        assertThat(roomy.getFirst().content()).contains("Summary of part " + r.stats().chunks())
                .startsWith(a.getFirst().content().substring(0, 200));
    }
}
