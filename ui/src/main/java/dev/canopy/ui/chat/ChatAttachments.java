package dev.canopy.ui.chat;

import dev.canopy.app.chat.AttachedDocument;
import dev.canopy.app.chat.Attachments;
import dev.canopy.app.chat.ChatService;
import dev.canopy.app.chat.DocumentReader;
import dev.canopy.app.documents.DocumentException;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.summarize.SourceSpan;
import dev.canopy.memory.conversation.Role;
import dev.canopy.ui.common.Passage;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat's documents: the one the next message carries (dropped, chosen or pasted), and the
 * passages that citations in answers open. Part of {@link ChatViewModel}; reports through its
 * status and error lines.
 */
final class ChatAttachments {
    /** Text longer than this, pasted into the composer, is attached as a document instead. */
    static final int LARGE_PASTE_CHARS = 20_000;

    private final ChatService chat;       // app service
    private final UiThreads threads;
    private final StringProperty status;  // borrowed: the chat's status line
    private final StringProperty error;   // borrowed: the chat's error line
    private final ObjectProperty<AttachedDocument> attachment = new SimpleObjectProperty<>();
    private final ObjectProperty<Passage> passage = new SimpleObjectProperty<>();
    private final Map<String, Path> attachedFiles = new ConcurrentHashMap<>();   // name -> file, attached in this window

    ChatAttachments(ChatService chat, UiThreads threads, StringProperty status, StringProperty error) {
        this.chat = chat;
        this.threads = threads;
        this.status = status;
        this.error = error;
    }

    ObjectProperty<AttachedDocument> attachment() { return attachment; }
    ObjectProperty<Passage> passage() { return passage; }

    /** The attached document, which the message being sent takes (it is attached no more), or null. */
    AttachedDocument take() {
        AttachedDocument d = attachment.get();
        attachment.set(null);
        return d;
    }

    /** See {@link ChatViewModel#pasteText}. */
    boolean pasteText(String text) {
        if (text == null || text.length() <= LARGE_PASTE_CHARS) return false;
        int budget = chat.documentBudgetChars();
        boolean cut = text.length() > budget;
        attachment.set(new AttachedDocument("Pasted text", cut ? text.substring(0, budget) : text, text.length(), cut));
        error.set("");
        status.set(String.format(Locale.ROOT, "Attached the pasted text (%,d characters)%s.", text.length(),
                cut ? ": the first part, the rest does not fit the context window" : ""));
        return true;
    }

    /** See {@link ChatViewModel#attach}. */
    void attach(Path file) {
        if (!DocumentReader.supports(file)) {
            error.set("Canopy cannot read " + file.getFileName() + ". Drop a PDF, Word, HTML, Markdown or text file.");
            return;
        }
        error.set("");
        status.set("Reading " + file.getFileName() + "…");
        threads.inBackground(() -> {
            try {
                AttachedDocument d = DocumentReader.read(file, chat.documentBudgetChars());
                attachedFiles.put(d.name(), file);
                threads.onUi(() -> {
                    attachment.set(d);
                    status.set(d.truncated() ? "Attached the first part of " + d.name() + " (the rest does not fit the context"
                            + " window; Documents can summarize all of it)." : "Attached " + d.name() + ".");
                });
            } catch (RuntimeException e) {
                threads.onUi(() -> { status.set(""); error.set(UserMessages.describe("document", e).text()); });
            }
        });
    }

    /** See {@link ChatViewModel#openCitation}; {@code messages} is the open conversation. */
    void openCitation(List<MessageItem> messages, MessageItem answer, SourceSpan span) {
        int at = messages.indexOf(answer);
        Optional<String> name = Optional.empty();
        for (int i = (at < 0 ? messages.size() : at) - 1; i >= 0 && name.isEmpty(); i--) {
            if (messages.get(i).role() == Role.USER) name = Attachments.documentName(messages.get(i).content());
        }
        if (name.isEmpty()) {
            status.set("This answer cites a place, but no document was attached before it.");
            return;
        }
        Path file = attachedFiles.get(name.get());
        if (file == null) {
            status.set("Attach " + name.get() + " again to open the places it cites: the conversation keeps only its text.");
            return;
        }
        threads.inBackground(() -> {
            try {
                Passage p = Passage.read(file, span, Optional.empty());
                threads.onUi(() -> passage.set(p));
            } catch (DocumentException e) {
                threads.onUi(() -> status.set("Cannot show the passage: " + e.getMessage()));
            } catch (RuntimeException e) {
                threads.onUi(() -> status.set(UserMessages.describe("document", e).text()));
            }
        });
    }
}
