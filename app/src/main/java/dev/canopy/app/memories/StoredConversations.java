package dev.canopy.app.memories;

import java.util.stream.Collectors;
import java.util.Set;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.ConversationRow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.app.chat.AnswerDraft;
import dev.canopy.app.chat.Conversation;
import dev.canopy.app.chat.ConversationRepository;
import dev.canopy.app.chat.ReplyStats;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.chat.SamplingPreset;
import dev.canopy.app.chat.StoredMessage;
import dev.canopy.app.errors.UserFacingException;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.Message;
import dev.canopy.memory.conversation.MessageStatus;
import dev.canopy.memory.conversation.MessageWriter;
import dev.canopy.memory.conversation.NewMessage;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Conversations in the user's SQLite database (the memory module's conversation store): written
 * before and during generation, so they survive restarts and crashes. The app's extra conversation
 * fields (pin, system prompt, preset) and an answer's statistics travel as JSON in the store's
 * {@code settings} columns.
 */
public final class StoredConversations implements ConversationRepository {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The app's part of a conversation row. */
    record Extras(boolean pinned, String systemPrompt, SamplingPreset preset) {}

    private final MemoryStore store; // borrowed

    public StoredConversations(MemoryStore store) {
        this.store = store;
    }

    @Override
    public List<Conversation> list() {
        return store.conversations().list().stream().map(StoredConversations::conversation)
                .sorted(Comparator.comparing(Conversation::pinned).reversed()
                        .thenComparing(Comparator.comparing(Conversation::updated).reversed()))
                .toList();
    }

    @Override
    public Optional<Conversation> find(ConversationId id) {
        return store.conversations().get(id).map(StoredConversations::conversation);
    }

    @Override
    public Conversation create(String title) {
        return conversation(store.conversations().create(title, null, json(new Extras(false, "", SamplingPreset.BALANCED))));
    }

    @Override
    public void save(Conversation c) {
        ConversationId id = c.id();
        var stored = store.conversations().get(id).orElseThrow(() -> gone());
        if (!stored.title().equals(c.title())) store.conversations().rename(id, c.title());
        store.conversations().updateSettings(id, stored.model(), json(new Extras(c.pinned(), c.systemPrompt(), c.preset())));
    }

    @Override
    public void delete(ConversationId id) {
        store.forgetConversation(id);
    }

    @Override
    public List<StoredMessage> messages(ConversationId conversationId) {
        return store.conversations().messages(conversationId).stream()
                .filter(m -> m.role() != Role.SYSTEM)
                .filter(m -> m.status() != MessageStatus.FAILED || !m.content().isBlank())
                .map(StoredConversations::message).toList();
    }

    @Override
    public StoredMessage append(ConversationId id, Role role, String content, Optional<ReplyStats> stats) {
        NewMessage m = new NewMessage(role, null, content, null, stats.map(StoredConversations::json).orElse(null), null, null);
        return message(store.conversations().add(id, m));
    }

    @Override
    public AnswerDraft startAnswer(ConversationId id) {
        MessageWriter writer = store.conversations().startMessage(id, NewMessage.assistant(null, null));
        return new AnswerDraft() {
            private boolean wrote;

            @Override public void append(String delta) {
                if (delta.isEmpty()) return;
                wrote |= !delta.isBlank();
                writer.append(delta);
            }

            @Override public StoredMessage complete(String text, ReplyStats stats) {
                writer.complete(stats.promptTokens());
                store.conversations().updateMessageSettings(writer.messageId(), json(stats));
                return message(store.conversations().message(writer.messageId()).orElseThrow());
            }

            @Override public void abandon() {
                writer.interrupt();
                if (!wrote) store.conversations().deleteFrom(id, writer.messageId());
            }
        };
    }

    @Override
    public void deleteFrom(ConversationId conversationId, MessageId messageId) {
        store.conversations().deleteFrom(conversationId, messageId);
    }

    @Override
    public List<Conversation> search(String query) {
        if (query.isBlank()) return list();
        Set<ConversationId> hits = store.conversations().search(query, 200).stream().map(h -> h.conversationId())
                .collect(Collectors.toSet());
        String q = query.strip().toLowerCase(java.util.Locale.ROOT);
        return list().stream().filter(c -> c.title().toLowerCase(java.util.Locale.ROOT).contains(q)
                || hits.contains(c.id())).toList();
    }

    @Override
    public String description() {
        return "Saved in " + store.file();
    }

    private static Conversation conversation(ConversationRow c) {
        Extras x = extras(c.settings());
        return new Conversation(c.id(), c.title(), x.pinned(), c.createdAt(), c.updatedAt(),
                x.systemPrompt(), x.preset());
    }

    private static StoredMessage message(Message m) {
        Optional<ReplyStats> stats = m.role() == Role.ASSISTANT && m.settings() != null
                ? read(m.settings(), ReplyStats.class) : Optional.empty();
        MessageStatus status = m.status() == MessageStatus.INTERRUPTED ? MessageStatus.INTERRUPTED : MessageStatus.COMPLETE;
        return new StoredMessage(m.id(), m.conversationId(), m.role(), m.content(),
                m.createdAt(), stats, status);
    }

    private static Extras extras(String settings) {
        return read(settings, Extras.class).orElse(new Extras(false, "", SamplingPreset.BALANCED));
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> Optional<T> read(String json, Class<T> type) {
        if (json == null || json.isBlank()) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(json, type));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static UserFacingException gone() {
        return new UserFacingException("That conversation no longer exists.");
    }
}
