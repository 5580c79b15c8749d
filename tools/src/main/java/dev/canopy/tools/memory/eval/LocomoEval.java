package dev.canopy.tools.memory.eval;

import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.conversation.ConversationRow;
import dev.canopy.memory.conversation.Message;
import dev.canopy.memory.conversation.NewMessage;
import dev.canopy.memory.conversation.Role;
import dev.canopy.memory.extract.CellExtractor;
import dev.canopy.memory.retrieve.RecalledFact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code canopy eval locomo FILE... [--k 10]}: every LoCoMo conversation goes into its own fresh
 * memory file (one user each), turn by turn as messages at their session's date; memory is built
 * (turns as leaves when no extractor is given); then for every question the top k recalled facts
 * are mapped back to the turns they came from and evidence recall@k is computed, next to plain BM25
 * over the raw turns ("speaker: text"). {@code construction_s} is the time spent building memory
 * (cells, extraction, trees, summaries), not counting storing the messages.
 */
public final class LocomoEval {

    private LocomoEval() {
    }

    public static LocomoReport run(List<Path> files, int k, Optional<CellExtractor> extractor) throws IOException {
        MemoryConfig config = MemoryConfig.noModel();
        if (extractor.isPresent()) {
            config = config.withExtractor(extractor.get());
        }
        return run(files, k, config);
    }

    public static LocomoReport run(List<Path> files, int k, MemoryConfig config) throws IOException {
        RecallAtK ours = new RecallAtK();
        RecallAtK bm25 = new RecallAtK();
        double construction = 0;
        for (Path file : files) {
            LocomoConversation conv = LocomoLoader.load(file);
            Path dir = Files.createTempDirectory("canopy-locomo-");
            try (MemoryStore store = MemoryStore.open(dir.resolve("memory.db"), config)) {
                ConversationRow c = store.conversations().create(conv.name(), null, null);
                for (LocomoConversation.Session session : conv.sessions()) {
                    int i = 0;
                    for (LocomoConversation.Turn t : session.turns()) {
                        Role role = t.speaker().equals(conv.speakerA()) ? Role.USER : Role.ASSISTANT;
                        store.conversations().add(c.id(), new NewMessage(role, t.speaker(), t.text(), null, null,
                                session.at().plusSeconds(30L * i++), t.diaId()));
                    }
                }
                long t0 = System.nanoTime();
                store.rememberAll();
                construction += (System.nanoTime() - t0) / 1e9;
                Map<Long, Set<String>> turnsOfFact = turnsOfFacts(store);
                for (LocomoConversation.Question q : conv.questions()) {
                    Set<String> found = new HashSet<>();
                    for (RecalledFact f : store.recall(q.question(), config.recall().withK(k)).facts()) {
                        found.addAll(turnsOfFact.getOrDefault(f.factId(), Set.of()));
                    }
                    ours.add(q.category(), RecallAtK.of(q.evidence(), found));
                }
                scoreBm25(conv, k, store.conversations().messages(c.id()), bm25);
            } finally {
                deleteTree(dir);
            }
        }
        return new LocomoReport(ours.scores(), bm25.scores(), ours.count(), construction);
    }

    private static void scoreBm25(LocomoConversation conv, int k, List<Message> messages, RecallAtK out) {
        List<String> docs = messages.stream().map(m -> m.speaker() + ": " + m.content()).toList();
        Bm25Index index = new Bm25Index(docs);
        for (LocomoConversation.Question q : conv.questions()) {
            Set<String> found = new HashSet<>();
            for (int i : index.search(q.question(), k)) {
                found.add(messages.get(i).externalRef());
            }
            out.add(q.category(), RecallAtK.of(q.evidence(), found));
        }
    }

    /** Fact id to the dialogue ids of its source turns (its cell's turns when it has no single turn). */
    private static Map<Long, Set<String>> turnsOfFacts(MemoryStore store) {
        Map<Long, Set<String>> out = new HashMap<>();
        List<String[]> rows = store.database().read("evaluating", s -> s.list("""
                SELECT fs.fact_id, m.external_ref FROM fact_sources fs JOIN messages m ON m.id = fs.message_id
                UNION
                SELECT fs.fact_id, m.external_ref FROM fact_sources fs JOIN cells c ON c.id = fs.cell_id
                JOIN messages m ON m.conversation_id = c.conversation_id
                  AND m.id BETWEEN c.first_message_id AND c.last_message_id
                WHERE fs.message_id IS NULL""", rs -> new String[] {rs.getString(1), rs.getString(2)}));
        for (String[] r : rows) {
            out.computeIfAbsent(Long.parseLong(r[0]), x -> new HashSet<>()).add(r[1]);
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code LocomoEval FILE... [--k 10]}: prints the JSON report. */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        int k = 10;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--k")) {
                k = Integer.parseInt(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        System.out.println(run(files, k, Optional.empty()).toJson());
    }
}
