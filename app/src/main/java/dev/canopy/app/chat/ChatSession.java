package dev.canopy.app.chat;

import dev.canopy.engine.GenerationSession;

import java.util.Optional;

/**
 * The session a conversation answers in, and why it is not the one the settings asked for, when so
 * (for example the KV tiers could not be used and the KV stays in memory).
 */
public record ChatSession(GenerationSession session, Optional<String> notice) {}
