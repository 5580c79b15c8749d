package dev.canopy.engine.kv;

import dev.canopy.kv.KvStore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * What a saved conversation keeps besides its pages (store attachments): the logits after its
 * last token, so a reopened chat samples its next token with no step at all, and each layer's
 * latest query, so page selection continues as if the chat had never closed.
 */
final class SavedState {
    static final String LOGITS = "canopy.logits";
    static final String QUERIES = "canopy.queries";

    private SavedState() {}

    record Logits(int tokens, float[] logits) {}

    static void attach(KvStore store, float[] logits, int logitsTokens, float[][] queries) {
        if (logits != null && logitsTokens == store.tokenCount()) {
            ByteBuffer b = ByteBuffer.allocate(8 + 4 * logits.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(logitsTokens).putInt(logits.length);
            for (float f : logits) b.putFloat(f);
            store.putAttachment(LOGITS, b.array());
        } else {
            store.putAttachment(LOGITS, new byte[0]);
        }
        int width = 0;
        for (float[] q : queries) if (q != null) width = q.length;
        ByteBuffer b = ByteBuffer.allocate(8 + queries.length * (1 + 4 * width)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(queries.length).putInt(width);
        for (float[] q : queries) {
            b.put((byte) (q == null ? 0 : 1));
            for (int i = 0; i < width; i++) b.putFloat(q == null ? 0f : q[i]);
        }
        store.putAttachment(QUERIES, b.array());
    }

    /** Fills {@code queries} from the store; returns the saved logits when there are some. */
    static Optional<Logits> restore(KvStore store, float[][] queries) {
        store.attachment(QUERIES).ifPresent(bytes -> {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < 8 || b.getInt() != queries.length) return;
            int width = b.getInt();
            if (bytes.length != 8 + queries.length * (1 + 4 * width)) return;
            for (int l = 0; l < queries.length; l++) {
                boolean present = b.get() == 1;
                float[] q = new float[width];
                for (int i = 0; i < width; i++) q[i] = b.getFloat();
                if (present) queries[l] = q;
            }
        });
        return store.attachment(LOGITS).flatMap(bytes -> {
            if (bytes.length < 8) return Optional.empty();
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int tokens = b.getInt(), n = b.getInt();
            if (bytes.length != 8 + 4L * n) return Optional.empty();
            float[] l = new float[n];
            for (int i = 0; i < n; i++) l[i] = b.getFloat();
            return Optional.of(new Logits(tokens, l));
        });
    }
}
