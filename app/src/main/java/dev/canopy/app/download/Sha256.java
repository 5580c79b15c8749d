package dev.canopy.app.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 of a file, with progress and cancellation. */
public final class Sha256 {
    private Sha256() {}

    public static String of(Path file, DownloadListener listener, CancelSignal cancel) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long total = Files.size(file), done = 0, last = 0;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                ModelDownloader.checkCancelled(cancel);
                md.update(buf, 0, n);
                done += n;
                if (done - last > (64L << 20)) {
                    listener.onProgress(done, total);
                    last = done;
                }
            }
        }
        listener.onProgress(total, total);
        return HexFormat.of().formatHex(md.digest());
    }
}
