package dev.canopy.memory.conversation;

import java.time.Instant;

/**
 * A chat.
 *
 * @param settings      generation settings as the app serialized them (JSON), may be null
 * @param memoryEnabled false: nothing of this chat is remembered, and no memory is recalled into it
 */
public record Conversation(ConversationId id, String title, String model, String settings, boolean memoryEnabled,
                           Instant createdAt, Instant updatedAt) {
}
