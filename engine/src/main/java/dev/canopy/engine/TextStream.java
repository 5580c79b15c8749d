package dev.canopy.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns token pieces (raw bytes that may split a UTF-8 character) into text deltas, and watches
 * for stop strings: text that could still become a stop string is held back until it cannot.
 * Shared by every engine so streaming behaves the same everywhere.
 */
public final class TextStream {
    private final List<String> stops;
    private final GenerationListener listener;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean stopped;

    public TextStream(List<String> stops, GenerationListener listener) {
        this.stops = stops;
        this.listener = listener;
    }

    /** Adds a token's bytes; returns true when a stop string has appeared. */
    public boolean add(byte[] piece) {
        if (stopped) return true;
        pending.writeBytes(piece);
        String decoded = decodeComplete();
        if (decoded.isEmpty()) return false;
        text.append(decoded);
        for (String s : stops) {
            int at = s.isEmpty() ? -1 : text.indexOf(s, Math.max(0, emitted - s.length()));
            if (at >= 0) {
                text.setLength(at);
                flush(text.length());
                stopped = true;
                return true;
            }
        }
        flush(text.length() - holdBack());
        return false;
    }

    /** Emits whatever is held back (end of generation). */
    public void finish() {
        if (!stopped) flush(text.length());
    }

    /** The text produced so far (stop string excluded). */
    public String text() {
        return text.toString();
    }

    private void flush(int upTo) {
        if (upTo > emitted) {
            listener.onText(text.substring(emitted, upTo));
            emitted = upTo;
        }
    }

    /** Length of the longest text suffix that is a proper prefix of some stop string. */
    private int holdBack() {
        int hold = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > hold; k--) {
                if (text.substring(text.length() - k).equals(s.substring(0, k))) {
                    hold = k;
                    break;
                }
            }
        }
        return hold;
    }

    /** Decodes the longest prefix of pending bytes that ends on a character boundary. */
    private String decodeComplete() {
        byte[] bytes = pending.toByteArray();
        int end = bytes.length;
        // Step back over an incomplete trailing UTF-8 sequence (at most 3 bytes).
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            int b = bytes[bytes.length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) continue;           // continuation byte: keep looking
            int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (need > back) end = bytes.length - back; // lead byte whose sequence is not complete yet
            break;
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        String out;
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(bytes, 0, end));
            out = cb.toString();
        } catch (CharacterCodingException e) {
            out = new String(bytes, 0, end, StandardCharsets.UTF_8);
        }
        pending.reset();
        pending.write(bytes, end, bytes.length - end);
        return out;
    }
}
