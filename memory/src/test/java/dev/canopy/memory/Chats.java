package dev.canopy.memory;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.NewMessage;
import dev.canopy.memory.conversation.Role;
import java.time.Duration;
import java.time.Instant;

/** Test helper: writes alternating user / assistant turns a minute apart. */
public final class Chats {

    private Chats() {
    }

    /** Adds the turns (user first) starting at {@code start}; returns the time after the last one. */
    public static Instant add(MemoryStore store, ConversationId conversationId, Instant start, String user, String assistant,
                              String... turns) {
        Instant t = start;
        for (int i = 0; i < turns.length; i++) {
            boolean isUser = i % 2 == 0;
            store.conversations().add(conversationId, new NewMessage(isUser ? Role.USER : Role.ASSISTANT,
                    isUser ? user : assistant, turns[i], null, null, t, null));
            t = t.plus(Duration.ofMinutes(1));
        }
        return t;
    }
}
