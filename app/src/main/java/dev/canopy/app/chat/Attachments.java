package dev.canopy.app.chat;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A document attached to a user message travels inside the message text, between markers, so the
 * model sees it and regenerating or editing keeps it. The chat shows only the question and the name.
 */
public final class Attachments {
    private static final String START = "<<document: ";
    private static final String END = "<<end of document>>";
    private static final Pattern BLOCK = Pattern.compile("\\n*" + Pattern.quote(START) + "(.+?)>>\\n(.*?)\\n" + Pattern.quote(END),
            Pattern.DOTALL);

    private Attachments() {}

    /** The message text: the question followed by the document. */
    public static String compose(String question, String documentName, String documentText) {
        return question.strip() + "\n\n" + START + documentName + ">>\n" + documentText.strip() + "\n" + END;
    }

    /** The question without the document text. */
    public static String question(String content) {
        return BLOCK.matcher(content).replaceAll("").strip();
    }

    /** The attached document's name, if any. */
    public static Optional<String> documentName(String content) {
        Matcher m = BLOCK.matcher(content);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code content} with its question replaced by {@code question}, keeping an attached document. */
    public static String withQuestion(String content, String question) {
        Matcher m = BLOCK.matcher(content);
        return m.find() ? compose(question, m.group(1), m.group(2)) : question.strip();
    }
}
