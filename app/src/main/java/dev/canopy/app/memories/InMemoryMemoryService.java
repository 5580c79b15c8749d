package dev.canopy.app.memories;

import dev.canopy.memory.forest.TreeKind;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.chat.StoredMessage;
import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.fact.FactId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An IN-MEMORY stand-in for MemForest, used until the memory module's store is wired in: nothing is
 * persisted, and "extraction" is a heuristic that keeps the user's first-person statements
 * ("I live in Lyon", "My sister is Ana") as facts. Recall ranks facts by shared words.
 */
public final class InMemoryMemoryService implements MemoryService {
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    private static final Pattern FIRST_PERSON = Pattern.compile("^(i|i'm|i am|my|we|we're|our)\\b.*", Pattern.CASE_INSENSITIVE);

    private record Cell(String id, ConversationId conversationId, String title, Instant time, List<StoredMessage> messages,
                        List<MemoryFact> facts) {}

    private final List<Cell> cells = new ArrayList<>();
    private long lastFact; // fact ids count up from 1, as the database's row ids do

    @Override
    public synchronized List<MemoryTree> forest() {
        Map<ConversationId, List<Cell>> byConversation = new LinkedHashMap<>();
        for (Cell c : cells) byConversation.computeIfAbsent(c.conversationId, k -> new ArrayList<>()).add(c);
        List<MemoryTree> trees = new ArrayList<>();
        List<MemoryFact> all = timeline();
        if (!all.isEmpty()) {
            MemoryNode leaf = new MemoryNode("user-facts", 0, all.getLast().time(), all.getFirst().time(),
                    all.size() + " facts about the user", List.of(), all);
            trees.add(new MemoryTree("entity-user", TreeKind.ENTITY, "The user", leaf));
        }
        byConversation.forEach((id, list) -> {
            List<MemoryNode> leaves = list.stream().map(c -> new MemoryNode(c.id, 0, c.time, c.time,
                    summarize(c), List.of(), c.facts)).toList();
            MemoryNode root = new MemoryNode("session-" + id, 1, list.getFirst().time, list.getLast().time,
                    list.size() + " exchanges", leaves, List.of());
            trees.add(new MemoryTree("session-" + id, TreeKind.SESSION, list.getFirst().title, root));
        });
        trees.sort(Comparator.comparing((MemoryTree t) -> t.root().end()).reversed());
        return trees;
    }

    @Override
    public synchronized List<MemoryFact> timeline() {
        return cells.stream().flatMap(c -> c.facts.stream())
                .sorted(Comparator.comparing(MemoryFact::time).reversed()).toList();
    }

    @Override
    public synchronized List<SourceMessage> sources(FactId factId) {
        for (Cell c : cells) {
            if (c.facts.stream().anyMatch(f -> f.id().equals(factId))) {
                return c.messages.stream().map(m -> new SourceMessage(c.conversationId, c.title,
                        m.role().name().toLowerCase(Locale.ROOT), m.content(), m.created())).toList();
            }
        }
        return List.of();
    }

    @Override
    public synchronized List<MemoryFact> recall(String query, int limit) {
        Set<String> words = words(query);
        if (words.isEmpty()) return List.of();
        record Scored(MemoryFact fact, long score) {}
        return timeline().stream()
                .map(f -> new Scored(f, words(f.text()).stream().filter(words::contains).count()))
                .filter(s -> s.score > 0)
                .sorted(Comparator.comparingLong(Scored::score).reversed())
                .limit(limit).map(Scored::fact).toList();
    }

    @Override
    public synchronized void remember(ConversationId conversationId, String conversationTitle, List<StoredMessage> exchange) {
        if (exchange.isEmpty()) return;
        Instant time = exchange.getFirst().created();
        List<MemoryFact> facts = new ArrayList<>();
        for (StoredMessage m : exchange) {
            if (m.role() != Role.USER) continue;
            for (String s : SENTENCE.split(m.content().strip())) {
                String t = s.strip();
                if (t.length() >= 8 && t.length() <= 300 && FIRST_PERSON.matcher(t).matches() && !t.endsWith("?")) {
                    facts.add(new MemoryFact(new FactId(++lastFact), thirdPerson(t), "detail", time,
                            Optional.of(conversationId), List.of("user")));
                }
            }
        }
        cells.add(new Cell(UUID.randomUUID().toString(), conversationId, conversationTitle, time, List.copyOf(exchange), facts));
    }

    @Override
    public synchronized void editFact(FactId factId, String text) {
        for (Cell c : cells) c.facts.replaceAll(f -> f.id().equals(factId) ? f.withText(text.strip()) : f);
    }

    @Override
    public synchronized void deleteFact(FactId factId) {
        for (Cell c : cells) c.facts.removeIf(f -> f.id().equals(factId));
    }

    @Override
    public synchronized int forgetConversation(ConversationId conversationId) {
        int n = cells.stream().filter(c -> c.conversationId.equals(conversationId)).mapToInt(c -> c.facts.size()).sum();
        cells.removeIf(c -> c.conversationId.equals(conversationId));
        return n;
    }

    @Override
    public String description() {
        return "Temporary memory: kept only while Canopy runs (the MemForest store is not connected yet).";
    }

    /** Adds a fact directly (demo data and tests). */
    public synchronized MemoryFact add(ConversationId conversationId, String title, String text, Instant time) {
        MemoryFact f = new MemoryFact(new FactId(++lastFact), text, "detail", time, Optional.of(conversationId), List.of("user"));
        cells.add(new Cell(UUID.randomUUID().toString(), conversationId, title, time, List.of(), new ArrayList<>(List.of(f))));
        return f;
    }

    private static String summarize(Cell c) {
        String first = c.messages.isEmpty() ? "" : c.messages.getFirst().content().strip();
        String head = first.length() > 80 ? first.substring(0, 80) + "…" : first;
        return c.facts.isEmpty() ? head : c.facts.size() + " facts: " + head;
    }

    static String thirdPerson(String s) {
        String t = s.replaceAll("(?i)^i am\\b|^i'm\\b", "The user is")
                .replaceAll("(?i)^my\\b", "The user's")
                .replaceAll("(?i)^we're\\b|^we are\\b", "The user and others are")
                .replaceAll("(?i)^we\\b", "The user and others")
                .replaceAll("(?i)^our\\b", "Their");
        if (t.matches("(?i)^i\\s+\\S.*")) {
            String[] w = t.split("\\s+", 3);
            t = "The user " + conjugate(w[1]) + (w.length > 2 ? " " + w[2] : "");
        }
        return t.endsWith(".") || t.endsWith("!") ? t : t + ".";
    }

    /** The third-person singular of a first-person verb: like -> likes, have -> has, can -> can. */
    static String conjugate(String verb) {
        String v = verb.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "have" -> "has";
            case "do" -> "does";
            case "don't" -> "doesn't";
            case "was", "can", "can't", "will", "won't", "would", "could", "should", "must", "may", "might",
                 "cannot", "also", "never", "always", "often", "usually", "really", "just", "still" -> verb;
            default -> v.matches(".*(s|sh|ch|x|z|o)") ? verb + "es"
                    : v.matches(".*[^aeiou]y") ? verb.substring(0, verb.length() - 1) + "ies" : verb + "s";
        };
    }

    private static Set<String> words(String s) {
        return Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() > 3).collect(Collectors.toSet());
    }
}
