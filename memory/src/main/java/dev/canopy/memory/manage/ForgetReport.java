package dev.canopy.memory.manage;

import dev.canopy.memory.conversation.ConversationId;

/**
 * What forgetting a conversation removed.
 *
 * @param factsKept facts that were also found in other conversations: they stay, without this source
 */
public record ForgetReport(ConversationId conversationId, int messages, int cells, int factsDeleted, int factsKept,
                           int treesDropped) {
}
