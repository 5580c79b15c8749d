package dev.canopy.memory;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageWriter;
import dev.canopy.memory.conversation.NewMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashKillTest}: writes forever (streamed messages, memory ingestion,
 * forgetting) until it is killed. After every committed append it prints
 * {@code APPENDED <messageId> <length>}, so the parent knows what must survive.
 */
public final class CrashWriterMain {

    private static final String[] WORDS = {"garden", "violin", "Paris", "marathon", "recipe", "python", "hiking",
        "sister", "birthday", "painting", "camping", "guitar", "adoption", "museum", "coffee", "beach"};

    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Random rnd = new Random(Long.parseLong(args[1]));
        try (MemoryStore store = MemoryStore.open(file, MemoryConfig.noModel())) {
            List<ConversationId> conversations = new ArrayList<>();
            Instant t = Instant.parse("2024-01-01T10:00:00Z").plusSeconds(rnd.nextInt(1_000_000));
            System.out.println("READY");
            System.out.flush();
            for (int i = 0; ; i++) {
                if (conversations.isEmpty() || rnd.nextInt(8) == 0) {
                    conversations.add(store.conversations().create("chat " + i, "tiny", null).id());
                }
                ConversationId conv = conversations.get(rnd.nextInt(conversations.size()));
                t = t.plusSeconds(rnd.nextInt(3) == 0 ? 8 * 3600 : 60);
                store.conversations().add(conv, NewMessage.user(sentence(rnd, 12)).at(t));
                try (MessageWriter w = store.conversations().startMessage(conv, NewMessage.assistant("tiny", "{}").at(t))) {
                    int length = 0;
                    for (int k = 0; k < 20; k++) {
                        String token = WORDS[rnd.nextInt(WORDS.length)] + " ";
                        w.append(token);
                        length += token.length();
                        System.out.println("APPENDED " + w.messageId() + " " + length);
                    }
                    w.complete(12);
                }
                if (i % 3 == 0) {
                    store.rememberAll();
                    System.out.println("INGESTED " + i);
                }
                if (i % 25 == 24 && conversations.size() > 1) {
                    store.forgetConversation(conversations.remove(0));
                    System.out.println("FORGOT " + i);
                }
                System.out.flush();
            }
        }
    }

    private static String sentence(Random rnd, int words) {
        StringBuilder sb = new StringBuilder("I");
        for (int i = 0; i < words; i++) {
            sb.append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.append('.').toString();
    }
}
