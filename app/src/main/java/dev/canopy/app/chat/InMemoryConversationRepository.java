package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conversations kept IN MEMORY only (tests, and a fallback when the database cannot be opened). Ids
 * count up from 1, as the database's row ids do; they are never reused within one repository.
 */
public final class InMemoryConversationRepository implements ConversationRepository {
    private final Map<ConversationId, Conversation> conversations = new LinkedHashMap<>();
    private final Map<ConversationId, List<StoredMessage>> messages = new LinkedHashMap<>();
    private long lastConversation;
    private long lastMessage;
    private final Clock clock;

    public InMemoryConversationRepository() {
        this(Clock.systemUTC());
    }

    public InMemoryConversationRepository(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized List<Conversation> list() {
        return conversations.values().stream()
                .sorted(Comparator.comparing(Conversation::pinned).reversed()
                        .thenComparing(Comparator.comparing(Conversation::updated).reversed()))
                .toList();
    }

    @Override
    public synchronized Optional<Conversation> find(ConversationId id) {
        return Optional.ofNullable(conversations.get(id));
    }

    @Override
    public synchronized Conversation create(String title) {
        Instant now = now();
        Conversation c = new Conversation(new ConversationId(++lastConversation), title, false, now, now, "", SamplingPreset.BALANCED);
        conversations.put(c.id(), c);
        messages.put(c.id(), new ArrayList<>());
        return c;
    }

    @Override
    public synchronized void save(Conversation c) {
        if (conversations.containsKey(c.id())) conversations.put(c.id(), c);
    }

    @Override
    public synchronized void delete(ConversationId id) {
        conversations.remove(id);
        messages.remove(id);
    }

    @Override
    public synchronized List<StoredMessage> messages(ConversationId conversationId) {
        return List.copyOf(messages.getOrDefault(conversationId, List.of()));
    }

    @Override
    public synchronized StoredMessage append(ConversationId conversationId, Role role, String content, Optional<ReplyStats> stats) {
        Conversation c = conversations.get(conversationId);
        if (c == null) throw new IllegalArgumentException("No conversation " + conversationId);
        StoredMessage m = new StoredMessage(new MessageId(++lastMessage), conversationId, role, content, now(), stats);
        messages.get(conversationId).add(m);
        conversations.put(conversationId, c.withUpdated(m.created()));
        return m;
    }

    @Override
    public synchronized void deleteFrom(ConversationId conversationId, MessageId messageId) {
        List<StoredMessage> list = messages.get(conversationId);
        if (list == null) return;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(messageId)) {
                list.subList(i, list.size()).clear();
                return;
            }
        }
    }

    @Override
    public String description() {
        return "Conversations are kept in memory only and are lost when Canopy closes.";
    }

    private Instant now() {
        // Strictly increasing, so "most recent" ordering is stable even within one clock tick.
        Instant t = clock.instant();
        Instant last = conversations.values().stream().map(Conversation::updated).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        return t.isAfter(last) ? t : last.plusNanos(1000);
    }
}
