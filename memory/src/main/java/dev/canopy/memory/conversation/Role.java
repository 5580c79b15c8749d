package dev.canopy.memory.conversation;

/** Who wrote a message. */
public enum Role {
    SYSTEM, USER, ASSISTANT
}
