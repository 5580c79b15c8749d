package dev.canopy.memory.db;

import java.util.List;

/**
 * The versioned schema. Append new {@link Migration}s at the end; never edit a released one.
 *
 * <p>Design notes: the FTS5 indexes are maintained by triggers, so they always move with their rows
 * in the same transaction. {@code fact_fts} mirrors every fact (external content). {@code message_fts}
 * and {@code node_fts} index only some rows (final messages, inner nodes), so they are contentless
 * with {@code contentless_delete}: a message enters the index once it is final (COMPLETE or
 * INTERRUPTED), so per-token updates never touch it. Tree leaves reference
 * cells and facts with plain (NO ACTION) foreign keys: deleting an item that is still in a tree
 * fails, which keeps "forgotten facts are in no tree" a database-level guarantee.
 */
public final class Schema {

    private Schema() {
    }

    public static List<Migration> migrations() {
        return List.of(new Migration(1, "conversations, messages, MemForest", V1),
                new Migration(2, "entity_sessions: which sessions mention an entity", V2),
                new Migration(3, "doc_*: documents, their part and merge summaries, final summaries", V3));
    }

    /**
     * The document summaries (app's SummaryStore). Before this migration the store created these
     * tables itself on its own connection, with these very statements; {@code IF NOT EXISTS} keeps
     * such a file's tables and rows as they are.
     */
    private static final List<String> V3 = List.of(
            """
            CREATE TABLE IF NOT EXISTS doc_documents (content_hash TEXT PRIMARY KEY, title TEXT NOT NULL,
              source_path TEXT NOT NULL, format TEXT NOT NULL, places INTEGER NOT NULL, added_at INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS doc_runs (run_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, model_id TEXT NOT NULL,
              model_name TEXT NOT NULL, chunk_tokens INTEGER NOT NULL, chunks INTEGER NOT NULL, settings TEXT NOT NULL,
              created_at INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS doc_summaries (run_id TEXT NOT NULL, level INTEGER NOT NULL, idx INTEGER NOT NULL,
              text TEXT NOT NULL, span_from INTEGER NOT NULL, span_to INTEGER NOT NULL, status TEXT NOT NULL,
              tokens INTEGER NOT NULL, PRIMARY KEY (run_id, level, idx))""",
            """
            CREATE TABLE IF NOT EXISTS doc_results (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL,
              content_hash TEXT NOT NULL, style TEXT NOT NULL, instruction TEXT NOT NULL, model_name TEXT NOT NULL,
              text TEXT NOT NULL, markdown TEXT NOT NULL, created_at INTEGER NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS doc_results_by_doc ON doc_results (content_hash, created_at)",
            "CREATE INDEX IF NOT EXISTS doc_results_by_run ON doc_results (run_id, style, instruction)");

    /**
     * Sessions each entity is mentioned in, kept by insert triggers so that deciding whether an
     * entity has earned its tree reads a few index rows instead of every fact that mentions it.
     * Only ever a superset: rows are not removed when a single fact or source goes (a conversation
     * or entity takes its rows with it), so the router treats it as a filter and confirms with the
     * exact count before creating a tree.
     */
    private static final List<String> V2 = List.of(
            """
            CREATE TABLE entity_sessions(
              entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
              conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              session_no INTEGER NOT NULL,
              PRIMARY KEY (entity_id, conversation_id, session_no)) WITHOUT ROWID""",
            "CREATE INDEX entity_sessions_conversation ON entity_sessions(conversation_id)",
            """
            CREATE TRIGGER fact_entities_ai AFTER INSERT ON fact_entities BEGIN
              INSERT OR IGNORE INTO entity_sessions(entity_id, conversation_id, session_no)
                SELECT new.entity_id, c.conversation_id, c.session_no FROM fact_sources fs
                JOIN cells c ON c.id = fs.cell_id WHERE fs.fact_id = new.fact_id;
            END""",
            """
            CREATE TRIGGER fact_sources_ai AFTER INSERT ON fact_sources WHEN new.cell_id IS NOT NULL BEGIN
              INSERT OR IGNORE INTO entity_sessions(entity_id, conversation_id, session_no)
                SELECT fe.entity_id, c.conversation_id, c.session_no FROM fact_entities fe
                JOIN cells c ON c.id = new.cell_id WHERE fe.fact_id = new.fact_id;
            END""",
            """
            INSERT OR IGNORE INTO entity_sessions(entity_id, conversation_id, session_no)
              SELECT DISTINCT fe.entity_id, c.conversation_id, c.session_no FROM fact_entities fe
              JOIN fact_sources fs ON fs.fact_id = fe.fact_id JOIN cells c ON c.id = fs.cell_id""");

    private static final List<String> V1 = List.of(
            """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
            """
            CREATE TABLE conversations(
              id INTEGER PRIMARY KEY,
              title TEXT NOT NULL DEFAULT '',
              model TEXT,
              settings TEXT,
              memory_enabled INTEGER NOT NULL DEFAULT 1,
              memory_cursor INTEGER NOT NULL DEFAULT 0,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL)""",
            """
            CREATE TABLE messages(
              id INTEGER PRIMARY KEY,
              conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              seq INTEGER NOT NULL,
              session_no INTEGER NOT NULL,
              role TEXT NOT NULL CHECK (role IN ('SYSTEM','USER','ASSISTANT')),
              author TEXT,
              content TEXT NOT NULL DEFAULT '',
              status TEXT NOT NULL CHECK (status IN ('PENDING','STREAMING','COMPLETE','INTERRUPTED','FAILED')),
              model TEXT,
              settings TEXT,
              created_at INTEGER NOT NULL,
              first_token_at INTEGER,
              finished_at INTEGER,
              prompt_tokens INTEGER,
              generated_tokens INTEGER NOT NULL DEFAULT 0,
              error TEXT,
              external_ref TEXT,
              UNIQUE (conversation_id, seq))""",
            """
            CREATE VIRTUAL TABLE message_fts USING fts5(content, content='', contentless_delete=1,
              tokenize='porter unicode61')""",
            """
            CREATE TRIGGER messages_ai AFTER INSERT ON messages
              WHEN new.status IN ('COMPLETE','INTERRUPTED') BEGIN
              INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content);
            END""",
            """
            CREATE TRIGGER messages_ad AFTER DELETE ON messages
              WHEN old.status IN ('COMPLETE','INTERRUPTED') BEGIN
              DELETE FROM message_fts WHERE rowid = old.id;
            END""",
            """
            CREATE TRIGGER messages_au AFTER UPDATE OF content, status ON messages
              WHEN old.status IN ('COMPLETE','INTERRUPTED') OR new.status IN ('COMPLETE','INTERRUPTED') BEGIN
              DELETE FROM message_fts WHERE rowid = old.id AND old.status IN ('COMPLETE','INTERRUPTED');
              INSERT INTO message_fts(rowid, content) SELECT new.id, new.content
                WHERE new.status IN ('COMPLETE','INTERRUPTED');
            END""",
            """
            CREATE TABLE cells(
              id INTEGER PRIMARY KEY,
              conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              session_no INTEGER NOT NULL,
              first_message_id INTEGER NOT NULL,
              last_message_id INTEGER NOT NULL,
              t_start INTEGER NOT NULL,
              t_end INTEGER NOT NULL,
              text TEXT NOT NULL,
              summary TEXT NOT NULL DEFAULT '',
              status TEXT NOT NULL CHECK (status IN ('PENDING','EXTRACTED')))""",
            """
            CREATE TABLE facts(
              id INTEGER PRIMARY KEY,
              text TEXT NOT NULL,
              norm TEXT NOT NULL,
              role TEXT NOT NULL,
              origin TEXT NOT NULL,
              ts INTEGER NOT NULL,
              valid_from TEXT,
              valid_to TEXT,
              participants TEXT NOT NULL DEFAULT '',
              entities TEXT NOT NULL DEFAULT '',
              topics TEXT NOT NULL DEFAULT '',
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL)""",
            """
            CREATE VIRTUAL TABLE fact_fts USING fts5(text, entities, topics, content='facts', content_rowid='id',
              tokenize='porter unicode61')""",
            """
            CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
              INSERT INTO fact_fts(rowid, text, entities, topics) VALUES (new.id, new.text, new.entities, new.topics);
            END""",
            """
            CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
              INSERT INTO fact_fts(fact_fts, rowid, text, entities, topics)
                VALUES ('delete', old.id, old.text, old.entities, old.topics);
            END""",
            """
            CREATE TRIGGER facts_au AFTER UPDATE OF text, entities, topics ON facts BEGIN
              INSERT INTO fact_fts(fact_fts, rowid, text, entities, topics)
                VALUES ('delete', old.id, old.text, old.entities, old.topics);
              INSERT INTO fact_fts(rowid, text, entities, topics) VALUES (new.id, new.text, new.entities, new.topics);
            END""",
            """
            CREATE TABLE fact_sources(
              id INTEGER PRIMARY KEY,
              fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
              conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              cell_id INTEGER REFERENCES cells(id) ON DELETE CASCADE,
              message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE)""",
            """
            CREATE TABLE entities(
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL UNIQUE,
              display TEXT NOT NULL,
              is_user INTEGER NOT NULL DEFAULT 0)""",
            """
            CREATE TABLE fact_entities(
              fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
              entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
              PRIMARY KEY (fact_id, entity_id)) WITHOUT ROWID""",
            """
            CREATE TABLE trees(
              id INTEGER PRIMARY KEY,
              kind TEXT NOT NULL CHECK (kind IN ('SESSION','ENTITY','SCENE')),
              key TEXT NOT NULL,
              label TEXT NOT NULL,
              fanout INTEGER NOT NULL CHECK (fanout >= 2),
              root_id INTEGER,
              conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
              entity_id INTEGER REFERENCES entities(id) ON DELETE CASCADE,
              UNIQUE (kind, key))""",
            """
            CREATE TABLE nodes(
              id INTEGER PRIMARY KEY,
              tree_id INTEGER NOT NULL REFERENCES trees(id) ON DELETE CASCADE,
              parent_id INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
              level INTEGER NOT NULL CHECK (level >= 0),
              cell_id INTEGER REFERENCES cells(id),
              fact_id INTEGER REFERENCES facts(id),
              k_ts INTEGER NOT NULL,
              k_id INTEGER NOT NULL,
              t_start INTEGER NOT NULL,
              t_end INTEGER NOT NULL,
              item_count INTEGER NOT NULL,
              dirty INTEGER NOT NULL DEFAULT 0,
              summary TEXT NOT NULL DEFAULT '',
              keywords TEXT NOT NULL DEFAULT '')""",
            """
            CREATE VIRTUAL TABLE node_fts USING fts5(summary, keywords, content='', contentless_delete=1,
              tokenize='porter unicode61')""",
            """
            CREATE TRIGGER nodes_ai AFTER INSERT ON nodes WHEN new.level > 0 BEGIN
              INSERT INTO node_fts(rowid, summary, keywords) VALUES (new.id, new.summary, new.keywords);
            END""",
            """
            CREATE TRIGGER nodes_ad AFTER DELETE ON nodes WHEN old.level > 0 BEGIN
              DELETE FROM node_fts WHERE rowid = old.id;
            END""",
            """
            CREATE TRIGGER nodes_au AFTER UPDATE OF summary, keywords ON nodes WHEN old.level > 0 BEGIN
              DELETE FROM node_fts WHERE rowid = old.id;
              INSERT INTO node_fts(rowid, summary, keywords) VALUES (new.id, new.summary, new.keywords);
            END""",
            """
            CREATE TABLE fact_vectors(
              fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
              vec BLOB NOT NULL)""",
            """
            CREATE TABLE node_vectors(
              node_id INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
              vec BLOB NOT NULL)""",
            """
            CREATE TABLE message_memories(
              message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
              fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
              rank INTEGER NOT NULL,
              score REAL NOT NULL,
              PRIMARY KEY (message_id, fact_id)) WITHOUT ROWID""",
            "CREATE INDEX messages_status ON messages(status) WHERE status IN ('PENDING','STREAMING')",
            "CREATE INDEX cells_conversation ON cells(conversation_id, status)",
            "CREATE INDEX facts_norm ON facts(norm)",
            "CREATE INDEX fact_sources_fact ON fact_sources(fact_id)",
            "CREATE INDEX fact_sources_conversation ON fact_sources(conversation_id)",
            "CREATE INDEX fact_sources_cell ON fact_sources(cell_id)",
            "CREATE INDEX fact_sources_message ON fact_sources(message_id)",
            "CREATE INDEX fact_entities_entity ON fact_entities(entity_id)",
            "CREATE INDEX trees_conversation ON trees(conversation_id)",
            "CREATE INDEX trees_entity ON trees(entity_id)",
            "CREATE INDEX nodes_children ON nodes(parent_id, k_ts, k_id)",
            "CREATE INDEX nodes_tree ON nodes(tree_id, level)",
            "CREATE INDEX nodes_fact ON nodes(fact_id) WHERE fact_id IS NOT NULL",
            "CREATE INDEX nodes_cell ON nodes(cell_id) WHERE cell_id IS NOT NULL",
            "CREATE INDEX nodes_dirty ON nodes(level) WHERE dirty > 0",
            "CREATE INDEX message_memories_fact ON message_memories(fact_id)");
}
