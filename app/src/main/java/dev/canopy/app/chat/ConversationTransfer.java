package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.canopy.app.errors.UserFacingException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Conversations in and out: branch one from any message (a new conversation, the original stays),
 * export as Markdown or JSON, and import the JSON again (title, instructions, style, messages and
 * each answer's figures round-trip).
 */
public final class ConversationTransfer {
    static final String FORMAT = "canopy-conversation";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The exported file. */
    record Exported(String format, int version, String title, String systemPrompt, SamplingPreset preset,
                    List<ExportedMessage> messages) {}

    /** One exported message; {@code stats} only for answers. */
    record ExportedMessage(Role role, String content, ReplyStats stats) {}

    private final ConversationRepository conversations; // borrowed

    public ConversationTransfer(ConversationRepository conversations) {
        this.conversations = conversations;
    }

    /**
     * A new conversation with the messages of {@code conversationId} up to and including
     * {@code messageId}, its instructions and style; the original is left as it is.
     */
    public Conversation branch(ConversationId conversationId, MessageId messageId) {
        Conversation c = find(conversationId);
        List<StoredMessage> all = conversations.messages(conversationId);
        int upTo = -1;
        for (int i = 0; i < all.size(); i++) if (all.get(i).id().equals(messageId)) upTo = i;
        if (upTo < 0) throw new UserFacingException("That message is no longer in the conversation.");
        Conversation b = conversations.create(branchTitle(c.title()));
        b = b.withSettings(c.systemPrompt(), c.preset());
        conversations.save(b);
        for (StoredMessage m : all.subList(0, upTo + 1)) conversations.append(b.id(), m.role(), m.content(), m.stats());
        return conversations.find(b.id()).orElse(b);
    }

    static String branchTitle(String title) {
        return title.endsWith(" (branch)") ? title : title + " (branch)";
    }

    /** The conversation as Markdown: a heading, its instructions, then each message under who wrote it. */
    public String markdown(ConversationId conversationId) {
        Conversation c = find(conversationId);
        StringBuilder sb = new StringBuilder("# ").append(c.title()).append("\n\n");
        if (!c.systemPrompt().isBlank()) sb.append("> Instructions: ").append(c.systemPrompt().strip().replace("\n", "\n> ")).append("\n\n");
        for (StoredMessage m : conversations.messages(conversationId)) {
            sb.append(m.role() == Role.USER ? "## You" : "## Canopy").append("\n\n").append(m.content().strip()).append("\n\n");
            m.stats().ifPresent(s -> sb.append(String.format(Locale.ROOT, "*%d tokens · %.1f tok/s · first token %.0f ms*%n%n",
                    s.generatedTokens(), s.tokensPerSecond(), s.firstTokenMillis())));
        }
        return sb.toString();
    }

    /** The conversation as JSON that {@link #importJson} reads back. */
    public String json(ConversationId conversationId) {
        Conversation c = find(conversationId);
        List<ExportedMessage> ms = conversations.messages(conversationId).stream()
                .map(m -> new ExportedMessage(m.role(), m.content(), m.stats().orElse(null))).toList();
        try {
            return JSON.writeValueAsString(new Exported(FORMAT, VERSION, c.title(), c.systemPrompt(), c.preset(), ms));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the conversation to {@code file} in {@code format}. */
    public void export(ConversationId conversationId, Path file, ConversationFormat format) throws IOException {
        String text = format == ConversationFormat.JSON ? json(conversationId) : markdown(conversationId);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Reads a conversation exported as JSON into a new conversation. Bad input: a clear message, nothing stored. */
    public Conversation importJson(String json) {
        Exported e;
        try {
            e = JSON.readValue(json, Exported.class);
        } catch (JsonProcessingException ex) {
            throw new UserFacingException("This is not a conversation Canopy exported (the JSON cannot be read: "
                    + ex.getOriginalMessage() + ").");
        }
        if (e == null || !FORMAT.equals(e.format())) {
            throw new UserFacingException("This JSON file is not a conversation Canopy exported (no \"format\": \"" + FORMAT + "\").");
        }
        if (e.messages() == null || e.messages().stream().anyMatch(m -> m == null || m.role() == null || m.content() == null)) {
            throw new UserFacingException("This conversation file has a message without a role or text; nothing was imported.");
        }
        String title = e.title() == null || e.title().isBlank() ? "Imported conversation" : e.title().strip();
        Conversation c = conversations.create(title);
        c = c.withSettings(e.systemPrompt() == null ? "" : e.systemPrompt(), e.preset());
        conversations.save(c);
        for (ExportedMessage m : e.messages()) {
            conversations.append(c.id(), m.role(), m.content(),
                    m.role() == Role.ASSISTANT ? Optional.ofNullable(m.stats()) : Optional.empty());
        }
        return conversations.find(c.id()).orElse(c);
    }

    /** Reads {@code file} (see {@link #importJson(String)}). */
    public Conversation importFile(Path file) throws IOException {
        return importJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    private Conversation find(ConversationId id) {
        return conversations.find(id).orElseThrow(() -> new UserFacingException("That conversation no longer exists."));
    }
}
