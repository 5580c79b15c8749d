package dev.canopy.ui.chat;

import dev.canopy.memory.conversation.Role;
import javafx.collections.ListChangeListener;

import java.util.concurrent.atomic.AtomicInteger;

/** Helpers for chat view-model tests. */
final class ChatViewModelTestSupport {
    private ChatViewModelTestSupport() {}

    /** Stops the next answer once it has streamed {@code pieces} pieces; returns how many text updates were seen. */
    static AtomicInteger stopAfter(ChatViewModel vm, int pieces) {
        AtomicInteger updates = new AtomicInteger();
        ListChangeListener<MessageItem>[] self = new ListChangeListener[1];
        self[0] = c -> {
            while (c.next()) {
                for (MessageItem m : c.getAddedSubList()) {
                    if (m.role() == Role.ASSISTANT && m.id().isEmpty()) {
                        vm.messages().removeListener(self[0]);
                        AtomicInteger mine = new AtomicInteger();
                        m.textProperty().addListener((o, a, b) -> {
                            updates.incrementAndGet();
                            if (mine.incrementAndGet() == pieces) vm.stop();
                        });
                    }
                }
            }
        };
        vm.messages().addListener(self[0]);
        return updates;
    }
}
