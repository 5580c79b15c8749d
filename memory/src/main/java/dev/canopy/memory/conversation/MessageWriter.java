package dev.canopy.memory.conversation;

import dev.canopy.memory.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Streams generated text into a message that already exists in the database.
 *
 * <p><b>Crash guarantee.</b> With a zero flush interval (the default) every {@link #append} is one
 * autocommitted {@code UPDATE} in WAL mode before it returns, so if the process dies, at most the
 * token being appended at that moment is lost; the message is found STREAMING on the next start and
 * {@link ConversationStore#recoverInterrupted()} marks it INTERRUPTED with its text intact. With an
 * interval {@code d > 0}, appends are coalesced and written when {@code d} has passed since the
 * last write, so a crash loses at most the text of the last {@code d}. (After an OS crash or power
 * cut, WAL with {@code synchronous=NORMAL} may also lose the last commits, never consistency.)
 *
 * <p>Not thread-safe: one generating thread owns a writer. Closing a writer that was not finished
 * marks the message INTERRUPTED.
 */
public final class MessageWriter implements AutoCloseable {

    private final Database db;
    private final InstantSource clock;
    private final MessageId messageId;
    private final long flushNanos;
    private final StringBuilder pending = new StringBuilder();
    private int pendingTokens;
    private long lastFlush = System.nanoTime();
    private boolean done;

    MessageWriter(Database db, InstantSource clock, MessageId messageId, Duration flushInterval) {
        this.db = db;
        this.clock = clock;
        this.messageId = messageId;
        this.flushNanos = flushInterval.toNanos();
    }

    public MessageId messageId() {
        return messageId;
    }

    /** Adds one token's text (one call per generated token counts the tokens). */
    public void append(String delta) {
        ensureOpen();
        pending.append(delta);
        pendingTokens++;
        if (flushNanos == 0 || System.nanoTime() - lastFlush >= flushNanos) {
            flush();
        }
    }

    /** Writes what is buffered now. */
    public void flush() {
        if (pendingTokens == 0) {
            return;
        }
        String text = pending.toString();
        int tokens = pendingTokens;
        Instant now = clock.instant();
        db.read("streaming a message", s -> s.update("""
                UPDATE messages SET content = content || ?, generated_tokens = generated_tokens + ?,
                  status = 'STREAMING', first_token_at = coalesce(first_token_at, ?) WHERE id = ?""",
                text, tokens, now, messageId));
        pending.setLength(0);
        pendingTokens = 0;
        lastFlush = System.nanoTime();
    }

    /** Marks the message COMPLETE. */
    public void complete(Integer promptTokens) {
        finish(MessageStatus.COMPLETE, promptTokens, null);
    }

    /** Marks the message INTERRUPTED (the user stopped it); the text so far is kept. */
    public void interrupt() {
        finish(MessageStatus.INTERRUPTED, null, null);
    }

    /** Marks the message FAILED with the reason. */
    public void fail(String error) {
        finish(MessageStatus.FAILED, null, error);
    }

    private void finish(MessageStatus status, Integer promptTokens, String error) {
        ensureOpen();
        String text = pending.toString();
        int tokens = pendingTokens;
        Instant now = clock.instant();
        db.write("finishing a message", s -> s.update("""
                UPDATE messages SET content = content || ?, generated_tokens = generated_tokens + ?, status = ?,
                  finished_at = ?, prompt_tokens = coalesce(?, prompt_tokens), error = ?,
                  first_token_at = CASE WHEN ? > 0 THEN coalesce(first_token_at, ?) ELSE first_token_at END
                WHERE id = ?""", text, tokens, status, now, promptTokens, error, tokens, now, messageId));
        pending.setLength(0);
        pendingTokens = 0;
        done = true;
    }

    private void ensureOpen() {
        if (done) {
            throw new IllegalStateException("message " + messageId + " is already finished");
        }
    }

    @Override
    public void close() {
        if (!done) {
            interrupt();
        }
    }
}
