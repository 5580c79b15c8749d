package dev.canopy.ui.archfixture;

/**
 * A deliberate violation for {@code TypedIdsTest}: a service that keeps and names a saved KV by its
 * text and hands back a key as a number, where {@code KvKey} and {@code ConversationId} exist. Never
 * used; it only proves the key rules can fail.
 *
 * @param kvKey a KV's key as text
 */
public record StringKeyedService(String kvKey) {

    public static Object openSession(String kvKey) {
        return kvKey;
    }

    public static long withKey(Object key) {
        return key.hashCode();
    }
}
