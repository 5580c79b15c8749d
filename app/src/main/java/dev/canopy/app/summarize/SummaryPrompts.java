package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.Locator;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.llama.ChatMessage;

import java.util.List;

/**
 * The prompts of the three passes, in the model's own chat template: a chunk summary, a merge of
 * consecutive summaries, and the final pass in the user's style. Inputs to a merge or the final pass
 * carry their citations, and the model is asked to keep them.
 */
public final class SummaryPrompts {
    static final String SYSTEM = "You summarize documents faithfully. Use only what the given text says: never add facts,"
            + " opinions or outside knowledge. Keep names, numbers, dates and conclusions exact.";
    private static final int LABEL_CHARS = 120;
    /** Stands in for a summary the model left empty. */
    static final String NO_TEXT = "(no summary was produced for this part)";

    private final InferenceModel model;
    private final String title;
    private final Locator locator;

    public SummaryPrompts(InferenceModel model, Document doc) {
        this.model = model;
        this.title = clip(doc.title());
        this.locator = doc.locator();
    }

    /** Level 0: summarize one chunk. */
    public String chunk(Chunk c, int totalChunks, int maxTokens) {
        String where = c.span().cite(locator).replace("[", "").replace("]", "");
        String section = c.section().isEmpty() ? "" : ", section \"" + clip(c.section()) + "\"";
        String user = "This is part " + (c.index() + 1) + " of " + totalChunks + " of the document \"" + title + "\" ("
                + where + section + ").\n\n<text>\n" + c.text() + "\n</text>\n\n"
                + "Summarize this part in at most " + words(maxTokens) + " words. Keep its key facts, names, numbers and"
                + " conclusions, in the order the text gives them. End every statement with the reference in square"
                + " brackets of the " + locator.noun() + " it comes from, like " + example() + ".";
        return chat(user);
    }

    /** Level n > 0: merge consecutive summaries (already rendered with citations) into one. */
    public String merge(List<String> renderedInputs, SourceSpan span, int maxTokens) {
        String user = "Below are summaries of consecutive parts of the document \"" + title + "\" ("
                + span.cite(locator).replace("[", "").replace("]", "") + "), in order. Each statement ends with a reference"
                + " in square brackets to the " + locator.noun() + " it comes from.\n\n" + String.join("\n\n", renderedInputs)
                + "\n\nMerge them into one coherent summary of at most " + words(maxTokens) + " words, in the document's"
                + " order. End every statement with the reference in square brackets of the summary it comes from, like "
                + example() + ".";
        return chat(user);
    }

    /** The final pass: the whole document's summary in the user's style. */
    public String finalPass(List<String> renderedInputs, SummaryStyle style, String instruction, int maxTokens) {
        String user = "Below are summaries of the document \"" + title + "\", in order. Each statement ends with a reference"
                + " in square brackets to the " + locator.noun() + " it comes from.\n\n" + String.join("\n\n", renderedInputs)
                + "\n\n" + style.instruction(instruction) + " Use at most " + words(maxTokens) + " words. End every statement"
                + " with the reference in square brackets of the summary it comes from, like " + example() + ".";
        return chat(user);
    }

    /** A summary as input to the level above: its text with a citation after each statement. */
    public String render(Summary s) {
        if (s.text().isBlank()) return s.span().cite(locator) + " " + NO_TEXT;
        return s.text().strip();
    }

    /** The same without per-statement citations (for an input that would be too long with them). */
    public String renderCompact(Summary s) {
        String text = Citations.strip(s.text()).strip();
        return s.span().cite(locator) + " " + (text.isEmpty() ? NO_TEXT : text);
    }

    Locator locator() {
        return locator;
    }

    private String example() {
        return locator.cite(3, 5);
    }

    private String chat(String user) {
        return model.formatChat(List.of(ChatMessage.system(SYSTEM), ChatMessage.user(user)), true);
    }

    /** A word budget from a token budget (about 0.7 words per token for English). */
    static int words(int tokens) {
        return Math.max(10, (int) (tokens * 0.7) / 10 * 10);
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= LABEL_CHARS ? one : one.substring(0, LABEL_CHARS - 1) + "…";
    }
}
