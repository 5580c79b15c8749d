package dev.canopy.app.download;

/** Where a download is. */
public enum DownloadPhase {
    CONNECTING, DOWNLOADING, RETRYING, VERIFYING, DONE
}
