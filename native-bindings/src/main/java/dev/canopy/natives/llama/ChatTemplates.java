package dev.canopy.natives.llama;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_chat_message;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Formats a chat with a model's template through {@code llama_chat_apply_template}. */
public final class ChatTemplates {
    /** Used when a model has no template of its own (ChatML: what Qwen and SmolLM use). */
    public static final String FALLBACK = "chatml";

    private ChatTemplates() {}

    /**
     * Formats {@code messages} with {@code template} (the model's Jinja source or a built-in name such as
     * "chatml", "llama3"); {@code addAssistant} ends with the assistant's turn opener.
     */
    public static String apply(String template, List<ChatMessage> messages, boolean addAssistant) {
        NativeRuntime.get();
        try (Arena arena = Arena.ofConfined()) {
            long stride = llama_chat_message.layout().byteSize();
            MemorySegment chat = arena.allocate(llama_chat_message.layout(), Math.max(1, messages.size()));
            int total = 0;
            for (int i = 0; i < messages.size(); i++) {
                MemorySegment m = chat.asSlice(i * stride, stride);
                llama_chat_message.role(m, arena.allocateFrom(messages.get(i).role()));
                llama_chat_message.content(m, arena.allocateFrom(messages.get(i).content()));
                total += messages.get(i).content().length() + 64;
            }
            MemorySegment tmpl = arena.allocateFrom(template);
            int cap = Math.max(256, total * 2);
            MemorySegment buf = arena.allocate(cap);
            int n = llama_h.llama_chat_apply_template(tmpl, chat, messages.size(), addAssistant, buf, cap);
            if (n < 0) throw new IllegalArgumentException("chat template not supported by llama.cpp: "
                    + template.substring(0, Math.min(60, template.length())).replace('\n', ' ') + "...");
            if (n > cap) {
                cap = n + 1;
                buf = arena.allocate(cap);
                n = llama_h.llama_chat_apply_template(tmpl, chat, messages.size(), addAssistant, buf, cap);
            }
            return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
