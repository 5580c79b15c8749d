package dev.canopy.app.download;

import dev.canopy.app.errors.UserFacingException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what an HTTP server says about a download: status, ranges, and the checksum it reports. */
final class ServerHeaders {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+|\\*)(?:-(\\d+))?/(\\d+|\\*)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ServerHeaders() {}

    static void checkStatus(int status, URI url) throws IOException {
        if (status == 200 || status == 206) return;
        if (status == 401 || status == 403) {
            throw new UserFacingException("The server refused the download (HTTP " + status + "). The model may be gated: "
                    + "accept its license on Hugging Face and download it in the browser, then import the file.");
        }
        if (status == 404) {
            throw new UserFacingException("Nothing was found at " + url + " (HTTP 404). Check the link.");
        }
        if (status >= 500) throw new IOException("the server had a problem (HTTP " + status + ")");
        throw new UserFacingException("The server answered HTTP " + status + " for " + url + ".");
    }

    /** First byte of a 206 answer, or -1. */
    static long rangeStart(HttpResponse<?> r) {
        return contentRange(r).map(m -> m.group(1).equals("*") ? -1 : Long.parseLong(m.group(1))).orElse(-1L);
    }

    /** Complete size from Content-Range, or {@code fallback}. */
    static long total(HttpResponse<?> r, long fallback) {
        return contentRange(r).filter(m -> !m.group(3).equals("*")).map(m -> Long.parseLong(m.group(3))).orElse(fallback);
    }

    /**
     * The sha256 the server reports: Hugging Face sends it as {@code X-Linked-ETag} on the redirect to its
     * CDN, some servers as a plain {@code ETag}; empty when none looks like a sha256.
     */
    static String sha256(HttpResponse<?> r) {
        for (HttpResponse<?> x = r; x != null; x = x.previousResponse().orElse(null)) {
            for (String name : new String[] {"X-Linked-ETag", "ETag"}) {
                Optional<String> v = x.headers().firstValue(name).map(ServerHeaders::stripETag);
                if (v.isPresent() && SHA256.matcher(v.get()).matches()) return v.get();
            }
        }
        return "";
    }

    private static String stripETag(String v) {
        String s = v.strip();
        if (s.startsWith("W/")) s = s.substring(2);
        return s.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    private static Optional<Matcher> contentRange(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Range").map(CONTENT_RANGE::matcher).filter(Matcher::find);
    }
}
