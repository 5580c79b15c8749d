package dev.canopy.app.memories;

import dev.canopy.memory.conversation.ConversationId;
import java.time.Instant;

/**
 * A chat message a fact was extracted from.
 *
 * @param conversationId    its conversation
 * @param conversationTitle that conversation's title
 * @param role              user or assistant
 * @param text              the message
 * @param time              when it was sent
 */
public record SourceMessage(ConversationId conversationId, String conversationTitle, String role, String text, Instant time) {}
