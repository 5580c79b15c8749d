package dev.canopy.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.engine.CancellationToken;
import io.javalin.http.Context;
import io.javalin.http.sse.Emitter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent-events answer, framed by Javalin's {@link Emitter}. When the client has gone (a
 * write fails) it cancels the answer, which then ends at its next token and frees its slot.
 */
final class EventStream {
    private final Context ctx;
    private final ObjectMapper json;
    private final CancellationToken cancel;
    private Emitter emitter; // null until the stream starts

    /** The stream starts (status 200, headers sent) with the first event or {@link #start}. */
    EventStream(Context ctx, ObjectMapper json, CancellationToken cancel) {
        this.ctx = ctx;
        this.json = json;
        this.cancel = cancel;
    }

    boolean started() {
        return emitter != null;
    }

    void start() {
        if (emitter != null) return;
        ctx.status(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        try {
            ctx.res().flushBuffer();
        } catch (IOException e) {
            cancel.cancel();
        }
        this.emitter = new Emitter(ctx.res());
    }

    /** {@code data: JSON} (OpenAI). */
    void data(ObjectNode data) {
        send(null, write(data));
    }

    /** {@code event: NAME} and {@code data: JSON} (Anthropic). */
    void event(String name, ObjectNode data) {
        send(name, write(data));
    }

    /** A raw data line, such as OpenAI's closing {@code [DONE]}. */
    void raw(String data) {
        send(null, data);
    }

    private void send(String event, String data) {
        start();
        if (emitter.getClosed()) return;
        emitter.emit(event, new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)), null);
        if (emitter.getClosed()) cancel.cancel();
    }

    private String write(ObjectNode data) {
        try {
            return json.writeValueAsString(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
