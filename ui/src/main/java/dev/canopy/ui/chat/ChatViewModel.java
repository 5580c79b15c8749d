package dev.canopy.ui.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.app.chat.AttachedDocument;
import dev.canopy.app.chat.Attachments;
import dev.canopy.app.chat.ChatListener;
import dev.canopy.app.chat.ChatPhase;
import dev.canopy.app.chat.ChatReply;
import dev.canopy.app.chat.ChatService;
import dev.canopy.app.chat.Conversation;
import dev.canopy.app.chat.ContextUsage;
import dev.canopy.app.chat.ConversationFormat;
import dev.canopy.app.chat.ConversationTransfer;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.chat.StoredMessage;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.memories.MemoryFact;
import dev.canopy.engine.CancellationToken;
import dev.canopy.ui.common.Notices;
import dev.canopy.ui.common.Passage;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chat view's state and actions: conversations (search, new, rename, delete), the open
 * conversation's messages, sending with a streamed answer, Stop, Regenerate, edit-and-resend, and
 * the conversation's own system prompt and sampling preset. Generation runs on
 * the background thread; every observable change is posted to the UI thread.
 */
public final class ChatViewModel {
    private final ChatService chat;       // app service
    private final UiThreads threads;
    private final Consumer<ConversationId> rememberLastConversation;

    private final ObservableList<Conversation> conversations = FXCollections.observableArrayList();
    private final ObservableList<MessageItem> messages = FXCollections.observableArrayList();
    private final ObjectProperty<Conversation> current = new SimpleObjectProperty<>();
    private final StringProperty search = new SimpleStringProperty("");
    private final StringProperty draft = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("");
    private final DoubleProperty prefill = new SimpleDoubleProperty(-1);
    private final StringProperty error = new SimpleStringProperty("");
    private final ContextGauge gauge = new ContextGauge();
    private final BooleanProperty hasModel = new SimpleBooleanProperty(false);
    private final BooleanProperty loadingModel = new SimpleBooleanProperty(false);
    private final ConversationSettingsViewModel settings;
    private final ConversationTransfer transfer;
    private final ChatAttachments attachments;
    private Notices notices = new Notices();
    private volatile CancellationToken running;

    public ChatViewModel(ChatService chat, UiThreads threads, Consumer<ConversationId> rememberLastConversation) {
        this.chat = chat;
        this.threads = threads;
        this.rememberLastConversation = rememberLastConversation;
        this.settings = new ConversationSettingsViewModel(chat, c -> { current.set(c); refreshList(); updateContextMeter(); });
        search.addListener((o, a, b) -> refreshList());
        hasModel.set(chat.hasActiveModel());
        this.transfer = new ConversationTransfer(chat.conversations());
        this.attachments = new ChatAttachments(chat, threads, status, error);
    }

    /** Where finished background work is announced (the window shows notifications). */
    public void setNotices(Notices n) { this.notices = n; }

    /**
     * A paste of {@code text}: a long one (a log, a chapter) is attached to the next message like a
     * dropped document (cut to what fits the context window), because a text field that holds a
     * megabyte stalls the window at every keystroke. Returns whether it took the paste.
     */
    public boolean pasteText(String text) {
        return attachments.pasteText(text);
    }

    /** A new conversation with the messages up to {@code m} (the original stays); it opens. */
    public void branchFrom(MessageItem m) {
        if (busy.get() || current.get() == null || m.id().isEmpty()) return;
        try {
            Conversation b = transfer.branch(current.get().id(), m.id().get());
            refreshList();
            open(b);
            status.set("Branched into \"" + b.title() + "\". The original conversation is unchanged.");
        } catch (RuntimeException e) {
            error.set(UserMessages.describe("branch", e).text());
        }
    }

    /** Writes the open conversation to {@code file}. */
    public void export(Path file, ConversationFormat format) {
        Conversation c = current.get();
        if (c == null) return;
        try {
            transfer.export(c.id(), file, format);
            notices.post("Conversation exported", "Saved \"" + c.title() + "\" as " + format.label() + " in " + file.getFileName() + ".");
        } catch (java.io.IOException | RuntimeException e) {
            error.set(UserMessages.describe("export", e).text());
        }
    }

    /** Imports a conversation exported as JSON; it opens. */
    public void importJson(Path file) {
        if (busy.get()) return;
        try {
            Conversation c = transfer.importFile(file);
            refreshList();
            open(c);
            status.set("Imported \"" + c.title() + "\".");
        } catch (java.io.IOException | RuntimeException e) {
            error.set(UserMessages.describe("conversation file", e).text());
        }
    }

    /** The open conversation's system prompt and sampling preset. */
    public ConversationSettingsViewModel conversationSettings() { return settings; }

    public ObservableList<Conversation> conversations() { return conversations; }
    public ObservableList<MessageItem> messages() { return messages; }
    public ObjectProperty<Conversation> currentProperty() { return current; }
    public StringProperty searchProperty() { return search; }
    public StringProperty draftProperty() { return draft; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty statusProperty() { return status; }
    /** The passage the last clicked citation of an answer points at, or null (see {@link #openCitation}). */
    public ObjectProperty<Passage> passageProperty() { return attachments.passage(); }

    /**
     * Shows the part of the document attached before {@code answer} that {@code span} names (a citation in
     * the answer was clicked), read in the background. The conversation keeps only the document's text, so
     * its file is known for documents attached in this window; otherwise this says to attach it again.
     */
    public void openCitation(MessageItem answer, dev.canopy.app.summarize.SourceSpan span) {
        attachments.openCitation(messages, answer, span);
    }
    /** Prompt reading progress 0..1, or -1 when not reading a prompt. */
    public DoubleProperty prefillProperty() { return prefill; }
    public StringProperty errorProperty() { return error; }
    /** How full the open conversation's context window is; follows an answer as it is written. */
    public ContextGauge contextGauge() { return gauge; }

    /** Whether a model is chosen (and its file is there); follows {@link #modelChanged}. */
    public javafx.beans.property.ReadOnlyBooleanProperty hasModelProperty() { return hasModel; }
    public boolean hasModel() { return hasModel.get(); }
    /** Whether the answer being written is waiting for the model to load. */
    public javafx.beans.property.ReadOnlyBooleanProperty loadingModelProperty() { return loadingModel; }

    /** The chosen model or the settings changed (call on the UI thread): the chat shows it at once. */
    public void modelChanged() {
        hasModel.set(chat.hasActiveModel());
        if (!busy.get()) updateContextMeter();
    }

    /** Loads the list and opens {@code lastConversation} (or the newest) as at start-up. */
    public void start(Optional<ConversationId> lastConversation) {
        refreshList();
        Optional<Conversation> last = conversations.stream().filter(c -> lastConversation.equals(Optional.of(c.id()))).findFirst();
        if (last.isPresent()) open(last.get());
        else if (!conversations.isEmpty()) open(conversations.getFirst());
    }

    public void newConversation() {
        if (busy.get()) return;
        open(chat.conversations().create(ChatService.NEW_CHAT_TITLE));
        refreshList();
    }

    public void open(Conversation c) {
        if (busy.get() || c == null) return;
        current.set(c);
        settings.show(c);
        rememberLastConversation.accept(c.id());
        reloadMessages();
    }

    public void rename(Conversation c, String title) {
        if (title == null || title.isBlank()) return;
        chat.conversations().save(c.withTitle(title.strip()));
        refreshList();
    }

    public void togglePin(Conversation c) {
        chat.conversations().save(c.withPinned(!c.pinned()));
        refreshList();
    }

    public void delete(Conversation c) {
        if (busy.get() && current.get() != null && current.get().id().equals(c.id())) return;
        chat.conversations().delete(c.id());
        threads.inBackground(() -> chat.forgetSavedKv(c.id()));   // and its KV kept on disk, if any
        if (current.get() != null && current.get().id().equals(c.id())) {
            current.set(null);
            settings.show(null);
            messages.clear();
        }
        refreshList();
    }

    /** The document the next message carries (dropped on the chat), or null. */
    public ObjectProperty<AttachedDocument> attachmentProperty() { return attachments.attachment(); }

    /**
     * Reads {@code file} in the background and attaches it to the next message (only as much as
     * fits the context window; the message says when the rest was left out).
     */
    public void attach(Path file) {
        attachments.attach(file);
    }

    /** Sends the draft (with the attached document, if any) and streams the answer. */
    public void send() {
        String text = draft.get() == null ? "" : draft.get().strip();
        AttachedDocument doc = attachments.attachment().get();
        if ((text.isEmpty() && doc == null) || busy.get()) return;
        if (doc != null) {
            text = Attachments.compose(text.isEmpty() ? "Summarize this document." : text, doc.name(), attachments.take().text());
        }
        if (current.get() == null) newConversation();
        error.set("");
        ConversationId id = current.get().id();
        StoredMessage user = chat.addUserMessage(id, text);
        draft.set("");
        messages.add(new MessageItem(Optional.of(user.id()), Role.USER, user.content(), ""));
        answer(id);
    }

    /** Drops the last answer and writes a new one. */
    public void regenerate() {
        if (busy.get() || current.get() == null) return;
        chat.dropLastAnswer(current.get().id());
        reloadMessages();
        answer(current.get().id());
    }

    /** Replaces the user message {@code m} with {@code text}, drops every later message and answers again. */
    public void editAndResend(MessageItem m, String text) {
        String t = text == null ? "" : text.strip();
        if (busy.get() || current.get() == null || m.role() != Role.USER || m.id().isEmpty()) return;
        if (t.isEmpty()) { error.set("A message cannot be empty. Type something or keep the old text."); return; }
        error.set("");
        try {
            chat.editMessage(current.get().id(), m.id().get(), Attachments.withQuestion(m.content(), t));   // keeps a document
        } catch (RuntimeException e) {
            error.set(UserMessages.describe("message", e).text());
            return;
        }
        reloadMessages();
        answer(current.get().id());
    }

    /** Stops the answer being written; what was written is kept. */
    public void stop() {
        CancellationToken t = running;
        if (t != null) t.cancel();
    }

    private void answer(ConversationId conversationId) {
        CancellationToken cancel = new CancellationToken();
        running = cancel;
        busy.set(true);
        MessageItem answer = new MessageItem(Optional.empty(), Role.ASSISTANT, "", "");
        messages.add(answer);
        threads.inBackground(() -> {
            try {
                ChatReply r = chat.reply(conversationId, listener(answer), cancel);
                threads.onUi(() -> finish(answer, r));
            } catch (RuntimeException e) {
                threads.onUi(() -> {
                    messages.remove(answer);
                    error.set(UserMessages.describe("answer", e).text());
                    done();
                });
            }
        });
    }

    private ChatListener listener(MessageItem answer) {
        return new ChatListener() {
            @Override public void onPhase(ChatPhase p) {
                threads.onUi(() -> {
                    status.set(ChatTexts.phaseText(p));
                    loadingModel.set(p == ChatPhase.LOADING_MODEL);
                });
            }

            @Override public void onNotice(String text) { threads.onUi(() -> status.set(text)); }

            @Override public void onMemories(List<MemoryFact> facts) {
                List<MemoryRef> used = facts.stream().map(f -> new MemoryRef(Optional.of(f.id()), f.text())).toList();
                threads.onUi(() -> answer.setMemories(used));
            }

            @Override public void onContext(int promptTokens, int contextTokens) {
                threads.onUi(() -> gauge.show(promptTokens, contextTokens, false));
            }

            @Override public void onPrefill(int done, int total) {
                threads.onUi(() -> prefill.set(total == 0 ? -1 : (double) done / total));
            }

            @Override public void onText(String delta) {
                threads.onUi(() -> {
                    prefill.set(-1);
                    answer.append(delta);
                    gauge.grow(1);
                });
            }
        };
    }

    private void finish(MessageItem answer, ChatReply r) {
        if (r.message().isEmpty()) messages.remove(answer);
        else answer.setFooter(ChatTexts.footer(r.stats()));
        String notice = r.notice().map(n -> " " + n).orElse("");
        if (r.droppedTurns() > 0) {
            status.set(r.droppedTurns() + " older messages did not fit the context window and were left out." + notice);
        } else {
            status.set(((r.cancelled() ? "Stopped." : "") + notice).strip());
        }
        reloadMessages();
        refreshList();
        done();
    }

    private void done() {
        running = null;
        loadingModel.set(false);
        hasModel.set(chat.hasActiveModel());
        prefill.set(-1);
        busy.set(false);
        updateContextMeter();
    }

    private void reloadMessages() {
        Conversation c = current.get();
        if (c == null) { messages.clear(); return; }
        List<MessageItem> kept = MessageItems.keepUnchanged(messages, MessageItems.of(chat.conversations().messages(c.id())));
        if (kept != messages) messages.setAll(kept);
        updateContextMeter();
    }

    /**
     * Counts the open conversation's tokens on the worker (counting may wait for a model being
     * loaded; the window must not) and shows them, unless another conversation was opened meanwhile.
     */
    private void updateContextMeter() {
        Conversation c = current.get();
        if (c == null) { gauge.clear(); return; }
        threads.inBackground(() -> {
            ContextUsage u;
            try {
                u = chat.contextUsage(c.id());
            } catch (RuntimeException e) {
                u = null;
            }
            ContextUsage counted = u;
            threads.onUi(() -> {
                if (current.get() == null || !current.get().id().equals(c.id()) || busy.get()) return;
                if (counted == null) gauge.clear();
                else gauge.show(counted.used(), counted.size(), counted.estimated());
            });
        });
    }

    private void refreshList() {
        String q = search.get() == null ? "" : search.get();
        conversations.setAll(chat.conversations().search(q));
    }
}
