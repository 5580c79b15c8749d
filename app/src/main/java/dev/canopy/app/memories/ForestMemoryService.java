package dev.canopy.app.memories;

import dev.canopy.memory.fact.FactId;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.forest.TreeKind;
import dev.canopy.app.chat.StoredMessage;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.Message;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactSource;
import dev.canopy.memory.forest.ForestView;
import dev.canopy.memory.retrieve.RecallOptions;
import dev.canopy.memory.retrieve.RecalledFact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Long-term memory over MemForest in the user's SQLite database: the same file as the
 * conversations, so a fact always points at the messages it came from and forgetting a
 * conversation removes what was learned from it from every tree and index.
 */
public final class ForestMemoryService implements MemoryService {
    /** Nodes shown per tree in the browser; deeper parts are represented by their summaries. */
    private static final int MAX_NODES_PER_TREE = 400;
    /** Facts shown in the timeline. */
    private static final int TIMELINE_LIMIT = 1_000;

    private final MemoryStore store; // borrowed
    private final Optional<BackgroundExtraction> extraction; // borrowed

    /** Learns from finished exchanges at once, turns as leaves (no model). */
    public ForestMemoryService(MemoryStore store) {
        this(store, Optional.empty());
    }

    /** With {@code extraction}: learns from finished exchanges in the background, by the model when one is loaded. */
    public ForestMemoryService(MemoryStore store, Optional<BackgroundExtraction> extraction) {
        this.store = store;
        this.extraction = extraction;
    }

    @Override
    public List<MemoryTree> forest() {
        return store.forest(MAX_NODES_PER_TREE).stream()
                .map(t -> new MemoryTree("tree-" + t.tree().id(), t.tree().kind(),
                        t.tree().label(), node(t.root())))
                .sorted((a, b) -> b.root().end().compareTo(a.root().end()))
                .toList();
    }

    @Override
    public List<MemoryFact> timeline() {
        return store.facts().list(0, TIMELINE_LIMIT).stream().map(this::fact)
                .sorted((a, b) -> b.time().compareTo(a.time())).toList();
    }

    @Override
    public List<SourceMessage> sources(FactId factId) {
        List<SourceMessage> out = new ArrayList<>();
        for (FactSource src : store.facts().sources(factId)) {
            String title = store.conversations().get(src.conversationId()).map(c -> c.title()).orElse("");
            Optional<Message> m = src.messageId() == null ? Optional.empty() : store.conversations().message(src.messageId());
            m.ifPresent(msg -> out.add(new SourceMessage(src.conversationId(), title,
                    msg.role().name().toLowerCase(Locale.ROOT), msg.content(), msg.createdAt())));
        }
        return out;
    }

    @Override
    public List<MemoryFact> recall(String query, int limit) {
        if (query.isBlank()) return List.of();
        return store.recall(query, RecallOptions.defaults().withK(limit)).facts().stream()
                .limit(limit).map(this::recalled).toList();
    }

    @Override
    public void remember(ConversationId conversationId, String conversationTitle, List<StoredMessage> exchange) {
        // The exchange is already in the database (StoredConversations): extract the new complete cells.
        if (extraction.isPresent()) extraction.get().request();
        else store.remember();
    }

    @Override
    public void editFact(FactId factId, String text) {
        store.facts().edit(factId, text.strip());
    }

    @Override
    public void deleteFact(FactId factId) {
        store.facts().delete(factId);
    }

    @Override
    public int forgetConversation(ConversationId conversationId) {
        return store.forgetConversation(conversationId).factsDeleted();
    }

    @Override
    public String description() {
        return "MemForest, saved in " + store.file();
    }

    private MemoryNode node(ForestView.Branch b) {
        var n = b.node();
        return new MemoryNode("node-" + n.id(), n.level(), Instant.ofEpochMilli(n.tStart()), Instant.ofEpochMilli(n.tEnd()),
                n.summary() == null ? "" : n.summary(), b.children().stream().map(this::node).toList(),
                b.facts().stream().map(this::fact).toList());
    }

    private MemoryFact fact(Fact f) {
        Optional<ConversationId> conversation = store.facts().sources(new FactId(f.id())).stream().findFirst()
                .map(FactSource::conversationId);
        return new MemoryFact(new FactId(f.id()), f.text(), f.role().name().toLowerCase(Locale.ROOT), f.ts(),
                conversation, f.entities());
    }

    private MemoryFact recalled(RecalledFact r) {
        return store.facts().get(new FactId(r.factId())).map(this::fact)
                .orElse(new MemoryFact(new FactId(r.factId()), r.text(), "detail", r.ts(), Optional.empty(), List.of()));
    }
}
