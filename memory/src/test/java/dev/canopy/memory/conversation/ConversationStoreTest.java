package dev.canopy.memory.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationStoreTest {

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T12:00:00Z"));
    private final InstantSource clock = () -> now.get();

    @Test
    void messagesAreStoredInOrderWithModelSettingsAndTimings() {
        try (Database db = Database.open(dir.resolve("c.db"))) {
            ConversationStore store = new ConversationStore(db, clock);
            ConversationRow c = store.create("Trip", "qwen3-0.6b", "{\"temperature\":0.7}");
            store.add(c.id(), NewMessage.user("Where should I go in May?"));
            now.set(now.get().plusSeconds(1));
            MessageWriter w = store.startMessage(c.id(), NewMessage.assistant("qwen3-0.6b", "{\"temperature\":0.7}"));
            assertThat(store.message(w.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.PENDING);
            now.set(now.get().plusMillis(250));
            w.append("Try ");
            w.append("Lisbon.");
            assertThat(store.message(w.messageId()).orElseThrow().content()).isEqualTo("Try Lisbon.");
            assertThat(store.message(w.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.STREAMING);
            now.set(now.get().plusSeconds(2));
            w.complete(42);

            var messages = store.messages(c.id());
            assertThat(messages).extracting(Message::seq).containsExactly(1, 2);
            Message answer = messages.get(1);
            assertThat(answer.content()).isEqualTo("Try Lisbon.");
            assertThat(answer.status()).isEqualTo(MessageStatus.COMPLETE);
            assertThat(answer.model()).isEqualTo("qwen3-0.6b");
            assertThat(answer.settings()).contains("temperature");
            assertThat(answer.timings().generatedTokens()).isEqualTo(2);
            assertThat(answer.timings().promptTokens()).isEqualTo(42);
            assertThat(answer.timings().timeToFirstToken(answer.createdAt())).contains(Duration.ofMillis(250));
            assertThat(answer.timings().finishedAt()).isEqualTo(now.get());
        }
    }

    @Test
    void searchFindsFinalMessagesAcrossConversations() {
        try (Database db = Database.open(dir.resolve("s.db"))) {
            ConversationStore store = new ConversationStore(db, clock);
            var a = store.create("A", null, null).id();
            var b = store.create("B", null, null).id();
            store.add(a, NewMessage.user("My cat Miso likes sardines"));
            store.add(b, NewMessage.user("Sardines on toast for breakfast"));
            MessageWriter streaming = store.startMessage(b, NewMessage.assistant(null, null));
            streaming.append("sardines are being typed");

            assertThat(store.search("sardines", 10)).extracting(MessageHit::conversationId).containsExactlyInAnyOrder(a, b);
            assertThat(store.search("sardi", 10)).hasSize(2); // prefix on the last word
            assertThat(store.search("miso sardines", 10)).singleElement()
                    .satisfies(h -> assertThat(h.snippet()).contains("[Miso]"));
            streaming.complete(null);
            assertThat(store.search("typed", 10)).hasSize(1);
            assertThat(store.search("  \"", 10)).isEmpty(); // never FTS syntax errors
        }
    }

    @Test
    void streamingMessagesLeftByACrashAreRecoveredWithTheirText() {
        try (Database db = Database.open(dir.resolve("r.db"))) {
            ConversationStore store = new ConversationStore(db, clock);
            var c = store.create("x", null, null).id();
            MessageWriter w = store.startMessage(c, NewMessage.assistant(null, null));
            w.append("half an ans");
            // no complete(): the process "dies" here
            assertThat(store.recoverInterrupted()).isEqualTo(1);
            Message m = store.message(w.messageId()).orElseThrow();
            assertThat(m.status()).isEqualTo(MessageStatus.INTERRUPTED);
            assertThat(m.content()).isEqualTo("half an ans");
            assertThat(m.error()).contains("interrupted");
            assertThat(store.search("half", 5)).hasSize(1);
        }
    }

    @Test
    void batchedFlushWritesAfterTheIntervalAndOnFinish() {
        try (Database db = Database.open(dir.resolve("b.db"))) {
            ConversationStore store = new ConversationStore(db, clock);
            var c = store.create("x", null, null).id();
            MessageWriter w = store.startMessage(c, NewMessage.assistant(null, null), Duration.ofHours(1));
            w.append("a");
            w.append("b");
            assertThat(store.message(w.messageId()).orElseThrow().content()).isEmpty();
            w.flush();
            assertThat(store.message(w.messageId()).orElseThrow().content()).isEqualTo("ab");
            w.append("c");
            w.interrupt();
            Message m = store.message(w.messageId()).orElseThrow();
            assertThat(m.content()).isEqualTo("abc");
            assertThat(m.status()).isEqualTo(MessageStatus.INTERRUPTED);
            assertThatThrownBy(() -> w.append("d")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void sessionsAreCutAtGapsLongerThanSixHours() {
        try (Database db = Database.open(dir.resolve("g.db"))) {
            ConversationStore store = new ConversationStore(db, clock);
            var c = store.create("x", null, null).id();
            Instant t = Instant.parse("2025-02-01T08:00:00Z");
            store.add(c, NewMessage.user("one").at(t));
            store.add(c, NewMessage.user("two").at(t.plus(Duration.ofHours(5))));
            store.add(c, NewMessage.user("three").at(t.plus(Duration.ofHours(12))));
            assertThat(store.messages(c)).extracting(Message::sessionNo).containsExactly(1, 1, 2);
        }
    }

    @Test
    void memoryCanBeSwitchedOffAndUnknownIdsAreNotFound() {
        try (Database db = Database.open(dir.resolve("m.db"))) {
            ConversationStore store = new ConversationStore(db, clock);
            var c = store.create("x", null, null).id();
            store.setMemoryEnabled(c, false);
            assertThat(store.get(c).orElseThrow().memoryEnabled()).isFalse();
            store.rename(c, "renamed");
            assertThat(store.list()).extracting(ConversationRow::title).containsExactly("renamed");
            assertThatThrownBy(() -> store.add(new ConversationId(999), NewMessage.user("hi")))
                    .isInstanceOfSatisfying(MemoryStoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(MemoryStoreException.Kind.NOT_FOUND));
        }
    }
}
