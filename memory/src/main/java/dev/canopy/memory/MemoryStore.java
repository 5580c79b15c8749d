package dev.canopy.memory;

import dev.canopy.memory.forest.ForestView;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.ConversationStore;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.extract.CellExtractor;
import dev.canopy.memory.forest.Router;
import dev.canopy.memory.ingest.IngestReport;
import dev.canopy.memory.ingest.MemoryIngestor;
import dev.canopy.memory.io.MemoryExport;
import dev.canopy.memory.manage.FactEditor;
import dev.canopy.memory.manage.ForgetReport;
import dev.canopy.memory.manage.Forgetter;
import dev.canopy.memory.retrieve.Recall;
import dev.canopy.memory.retrieve.RecallOptions;
import dev.canopy.memory.retrieve.RecalledFact;
import dev.canopy.memory.retrieve.Retriever;
import dev.canopy.memory.summarize.Refresher;
import java.nio.file.Path;
import java.util.List;

/**
 * One user's conversations and memory in one SQLite file: the entry point for the app.
 *
 * <p>Typical turn: {@code conversations().add(id, NewMessage.user(text))}; {@code recall(id, text)}
 * for the prompt; {@code conversations().startMessage(...)} and stream tokens into the writer;
 * {@code recordUsage(assistantMessageId, recall)}; then {@code remember()} (in the background) to
 * extract new cells. All methods are safe to call from several threads (one connection, locked).
 */
public final class MemoryStore implements AutoCloseable {

    private final Database db;
    private final MemoryConfig config;
    private final ConversationStore conversations;
    private final MemoryIngestor ingestor;
    private final Retriever retriever;
    private final FactEditor facts;
    private final Forgetter forgetter;
    private final Refresher refresher;

    private MemoryStore(Database db, MemoryConfig config) {
        this.db = db;
        this.config = config;
        Router router = new Router(config.forest());
        this.refresher = new Refresher(db, config.summarizer(), config.embedder());
        this.conversations = new ConversationStore(db, config.clock());
        this.ingestor = new MemoryIngestor(db, config.extractor(), config.deduplicator(), router, refresher,
                config.embedder(), config.clock());
        this.retriever = new Retriever(db, config.tokenCounter());
        this.facts = new FactEditor(db, router, refresher, config.clock());
        this.forgetter = new Forgetter(db, router, refresher);
    }

    /**
     * Opens (or creates) the file, migrates it, and marks messages cut by a crash INTERRUPTED.
     *
     * @throws MemoryStoreException of kind DAMAGED when the file is not a usable database
     */
    public static MemoryStore open(Path file, MemoryConfig config) {
        Database db = Database.open(file);
        MemoryStore store = new MemoryStore(db, config);
        store.conversations.recoverInterrupted();
        return store;
    }

    public ConversationStore conversations() {
        return conversations;
    }

    /** List, search, add, edit and delete single memories. */
    public FactEditor facts() {
        return facts;
    }

    /** Extracts memories from new complete turns (cells of two) and refreshes the trees. */
    public IngestReport remember() {
        return ingestor.ingest(false);
    }

    /**
     * Like {@link #remember()} with {@code extractor} instead of the configured one for this run (the
     * app passes one over the model it has loaded). If it throws, the run stops there: cells of the
     * failed batch stay pending and the next run takes them again.
     */
    public IngestReport remember(CellExtractor extractor) {
        return ingestor.ingest(false, extractor);
    }

    /** Like {@link #remember()} but also takes a last lone turn (end of a conversation, imports). */
    public IngestReport rememberAll() {
        return ingestor.ingest(true);
    }

    /** Memories for a new user message in this conversation; empty when its memory is switched off. */
    public Recall recall(ConversationId conversationId, String userMessage) {
        return recall(conversationId, userMessage, config.recall());
    }

    public Recall recall(ConversationId conversationId, String userMessage, RecallOptions options) {
        boolean enabled = conversations.get(conversationId)
                .orElseThrow(() -> new MemoryStoreException(MemoryStoreException.Kind.NOT_FOUND,
                        "No conversation with id " + conversationId))
                .memoryEnabled();
        return enabled ? retriever.recall(userMessage, options) : Recall.EMPTY;
    }

    /** Memories for a query regardless of conversation (search, evaluation). */
    public Recall recall(String query, RecallOptions options) {
        return retriever.recall(query, options);
    }

    /** Remembers which memories went into the prompt that produced this message. */
    public void recordUsage(MessageId messageId, Recall recall) {
        List<RecalledFact> used = recall.used();
        db.write("recording used memories", s -> {
            for (int i = 0; i < used.size(); i++) {
                s.update("INSERT OR REPLACE INTO message_memories(message_id, fact_id, rank, score) VALUES (?,?,?,?)",
                        messageId, used.get(i).factId(), i, used.get(i).score());
            }
            return null;
        });
    }

    /** The memories that were in the prompt of this message (deleted ones disappear). */
    public List<RecalledFact> memoriesUsedBy(MessageId messageId) {
        return db.read("reading used memories", s -> s.list("""
                SELECT f.id, f.text, f.ts, f.valid_from, mm.score FROM message_memories mm
                JOIN facts f ON f.id = mm.fact_id WHERE mm.message_id = ? ORDER BY mm.rank""",
                rs -> new RecalledFact(rs.getLong(1), rs.getString(2), java.time.Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4), rs.getDouble(5), List.of()), messageId));
    }

    /** Every tree with its nodes and leaf facts, for browsing; each tree cut at {@code maxNodesPerTree} nodes. */
    public List<ForestView.TreeBranch> forest(int maxNodesPerTree) {
        return new ForestView(db).trees(maxNodesPerTree);
    }

    /** Deletes the conversation and everything derived from it. */
    public ForgetReport forgetConversation(ConversationId conversationId) {
        return forgetter.forget(conversationId);
    }

    /** Writes conversations, cells, facts and entities to a JSON file (trees are rebuilt on import). */
    public void exportTo(Path file) {
        MemoryExport.write(db, file);
    }

    /** Adds the contents of an export file; trees are rebuilt and summarized. */
    public MemoryExport.ImportReport importFrom(Path file) {
        MemoryExport.ImportReport report = MemoryExport.read(db, new Router(config.forest()), file, config.clock());
        refresher.refresh();
        return report;
    }

    /** SQLite's integrity check, the FTS indexes' checks and foreign keys; empty when healthy. */
    public List<String> integrityProblems() {
        return db.integrityProblems();
    }

    public Path file() {
        return db.file();
    }

    /** The underlying database: for the app's other stores on the same file (document summaries), tools and tests. */
    public Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
