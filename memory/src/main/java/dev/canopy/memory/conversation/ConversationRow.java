package dev.canopy.memory.conversation;

import java.time.Instant;

/**
 * A chat as the store keeps it: its row in {@code conversations}. The app reads its own fields (pin,
 * system prompt, preset) out of {@code settings} into its {@code Conversation}; this module does not
 * look inside them.
 *
 * @param settings      generation settings as the app serialized them (JSON), may be null
 * @param memoryEnabled false: nothing of this chat is remembered, and no memory is recalled into it
 */
public record ConversationRow(ConversationId id, String title, String model, String settings, boolean memoryEnabled,
                              Instant createdAt, Instant updatedAt) {
}
