package dev.canopy.app.chat;

import dev.canopy.memory.conversation.Role;
import dev.canopy.app.memories.MemoryFact;
import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.llama.ChatMessage;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a conversation into the model's prompt: the system prompt, the recalled memories, and as many
 * of the latest messages as fit the context window with room left for the answer.
 */
final class PromptBuilder {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());

    record Prompt(String text, int tokens, int droppedMessages) {}

    private PromptBuilder() {}

    static Prompt build(InferenceModel model, int contextTokens, String systemPrompt, List<MemoryFact> memories,
                        List<StoredMessage> history) {
        int reserve = Math.min(512, contextTokens / 4);
        String system = system(systemPrompt, memories);
        int dropped = 0;
        while (true) {
            List<ChatMessage> messages = new ArrayList<>();
            if (!system.isBlank()) messages.add(ChatMessage.system(system));
            for (StoredMessage m : history.subList(dropped, history.size())) {
                messages.add(switch (m.role()) {
                    case SYSTEM -> ChatMessage.system(m.content());
                    case USER -> ChatMessage.user(m.content());
                    case ASSISTANT -> ChatMessage.assistant(m.content());
                });
            }
            String text = model.formatChat(messages, true);
            int tokens = model.tokenizer().count(text) + 1;
            if (tokens + reserve <= contextTokens) return new Prompt(text, tokens, dropped);
            if (history.size() - dropped <= 1) throw new ContextFullException(tokens + reserve, contextTokens);
            // Drop the oldest exchange (a user message and its answer) and try again.
            dropped += Math.min(2, history.size() - dropped - 1);
        }
    }

    static String system(String systemPrompt, List<MemoryFact> memories) {
        StringBuilder sb = new StringBuilder(systemPrompt.strip());
        if (!memories.isEmpty()) {
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append("Things you remember from earlier conversations (use them when relevant):");
            for (MemoryFact f : memories) sb.append("\n- ").append(f.text()).append(" (").append(DAY.format(f.time())).append(')');
        }
        return sb.toString();
    }
}
