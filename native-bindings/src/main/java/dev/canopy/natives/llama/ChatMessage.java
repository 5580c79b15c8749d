package dev.canopy.natives.llama;

/** One message of a chat, as chat templates see it. Role is system, user or assistant. */
public record ChatMessage(String role, String content) {
    public static ChatMessage system(String text) { return new ChatMessage("system", text); }
    public static ChatMessage user(String text) { return new ChatMessage("user", text); }
    public static ChatMessage assistant(String text) { return new ChatMessage("assistant", text); }
}
