package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import java.time.Instant;

/**
 * A conversation's header: the list shows it, the chat uses its system prompt and preset. The one
 * {@code Conversation} type: the memory module stores it as a {@code ConversationRow}, with these
 * fields in its opaque settings (decision 0175).
 *
 * @param id           stable key
 * @param title        shown in the list; renamed by the user or taken from the first message
 * @param pinned       pinned conversations stay at the top
 * @param created      when it was started
 * @param updated      last message or change
 * @param systemPrompt instructions for the model, or empty
 * @param preset       sampling preset
 */
public record Conversation(ConversationId id, String title, boolean pinned, Instant created, Instant updated,
                           String systemPrompt, SamplingPreset preset) {
    public Conversation {
        if (systemPrompt == null) systemPrompt = "";
        if (preset == null) preset = SamplingPreset.BALANCED;
    }

    public Conversation withTitle(String t) { return new Conversation(id, t, pinned, created, updated, systemPrompt, preset); }
    public Conversation withPinned(boolean p) { return new Conversation(id, title, p, created, updated, systemPrompt, preset); }
    public Conversation withUpdated(Instant u) { return new Conversation(id, title, pinned, created, u, systemPrompt, preset); }

    public Conversation withSettings(String prompt, SamplingPreset p) {
        return new Conversation(id, title, pinned, created, updated, prompt, p);
    }
}
