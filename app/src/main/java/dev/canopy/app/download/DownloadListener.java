package dev.canopy.app.download;

/** Progress of one download; called on the downloading thread. */
public interface DownloadListener {
    DownloadListener NONE = new DownloadListener() {};

    /** {@code done} of {@code total} bytes (total is -1 when the server does not say). */
    default void onProgress(long done, long total) {}

    /** The phase changed: connecting, downloading, retrying after a dropped connection, verifying. */
    default void onPhase(DownloadPhase phase, String detail) {}
}
