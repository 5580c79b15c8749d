package dev.canopy.app.download;

import java.nio.file.Path;

/**
 * A finished download.
 *
 * @param file     the completed file
 * @param bytes    its size
 * @param sha256   its checksum (lower-case hex)
 * @param verified whether the checksum was compared with an expected one (given, or reported by the server)
 * @param resumed  whether it continued an earlier partial download
 */
public record DownloadResult(Path file, long bytes, String sha256, boolean verified, boolean resumed) {}
