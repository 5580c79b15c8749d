package dev.canopy.app.chat;

/** Who wrote a message. */
public enum Role {
    USER, ASSISTANT
}
