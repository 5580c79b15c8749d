package dev.canopy.app.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.canopy.memory.conversation.ConversationId;

import java.io.IOException;

/**
 * A {@link ConversationId} in a settings file: its text form ({@code format}/{@code parse}), as the
 * files have always held it. Text that is not an id (an older file's empty string) reads as none.
 */
final class ConversationIdJson {
    private ConversationIdJson() {}

    static final class Write extends JsonSerializer<ConversationId> {
        @Override
        public void serialize(ConversationId id, JsonGenerator out, SerializerProvider p) throws IOException {
            out.writeString(id.format());
        }
    }

    static final class Read extends JsonDeserializer<ConversationId> {
        @Override
        public ConversationId deserialize(JsonParser in, DeserializationContext c) throws IOException {
            return ConversationId.parse(in.getValueAsString()).orElse(null);
        }
    }
}
