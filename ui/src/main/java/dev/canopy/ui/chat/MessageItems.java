package dev.canopy.ui.chat;

import dev.canopy.app.chat.StoredMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The chat's message items made from stored messages, reusing the items of messages that did not change. */
final class MessageItems {
    private MessageItems() {}

    /** An item per stored message, in order. */
    static List<MessageItem> of(List<StoredMessage> stored) {
        return stored.stream().map(MessageItems::of).toList();
    }

    static MessageItem of(StoredMessage m) {
        MessageItem i = new MessageItem(Optional.of(m.id()), m.role(), ChatTexts.shown(m), m.stats().map(ChatTexts::footer).orElse(""));
        m.stats().ifPresent(s -> i.setMemories(MemoryRef.of(s)));
        return i;
    }

    /**
     * {@code fresh}, with the items of {@code shown} kept where their message did not change (the view
     * keeps their bubbles: after an answer only the answer's item is new, now with its id and figures);
     * {@code shown} itself when nothing changed.
     */
    static List<MessageItem> keepUnchanged(List<MessageItem> shown, List<MessageItem> fresh) {
        List<MessageItem> kept = new ArrayList<>(fresh.size());
        boolean unchanged = fresh.size() == shown.size();
        for (int i = 0; i < fresh.size(); i++) {
            MessageItem n = fresh.get(i);
            MessageItem old = i < shown.size() ? shown.get(i) : null;
            MessageItem k = old != null && sameMessage(old, n) ? old : n;
            unchanged &= k == old;
            kept.add(k);
        }
        return unchanged ? shown : kept;
    }

    private static boolean sameMessage(MessageItem a, MessageItem b) {
        return !a.id().isEmpty() && a.id().equals(b.id()) && a.role() == b.role() && a.content().equals(b.content())
                && a.text().equals(b.text()) && a.footer().equals(b.footer()) && a.memories().equals(b.memories());
    }
}
