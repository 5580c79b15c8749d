package dev.canopy.app.download;

import dev.canopy.app.errors.UserFacingException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What to download and where.
 *
 * @param url            https address of a .gguf file (Hugging Face "blob" links are turned into download links)
 * @param target         the final file; the download is kept in {@code target + ".part"} until it is complete
 * @param expectedSha256 the expected checksum, or empty to use the one the server reports (Hugging Face does)
 */
public record DownloadRequest(URI url, Path target, String expectedSha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public DownloadRequest {
        expectedSha256 = expectedSha256 == null ? "" : expectedSha256.strip().toLowerCase(Locale.ROOT);
        if (!expectedSha256.isEmpty() && !SHA256.matcher(expectedSha256).matches()) {
            throw new UserFacingException("The checksum " + expectedSha256 + " is not a sha256 (64 hexadecimal digits).");
        }
    }

    /** A request for {@code address} saved into {@code folder} under the URL's file name. */
    public static DownloadRequest into(String address, Path folder, String expectedSha256) {
        URI url = parse(address);
        return new DownloadRequest(url, folder.resolve(fileName(url)), expectedSha256);
    }

    /** Checks and normalizes a user-typed address: https only (plain http only on this machine), a .gguf file. */
    public static URI parse(String address) {
        String a = address == null ? "" : address.strip();
        URI u;
        try {
            u = URI.create(a);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("\"" + a + "\" is not a web address. Paste a link like "
                    + "https://huggingface.co/<org>/<repo>/resolve/main/<file>.gguf");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? "" : u.getHost();
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!(scheme.equals("https") || (scheme.equals("http") && loopback)) || host.isEmpty()) {
            throw new UserFacingException("Only https links can be downloaded; \"" + a + "\" is not one.");
        }
        if (host.equals("huggingface.co") && u.getPath().contains("/blob/")) {
            u = URI.create(a.replaceFirst("/blob/", "/resolve/"));
        }
        if (!u.getPath().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new UserFacingException("The link does not point at a .gguf file. On Hugging Face, open the model's "
                    + "\"Files\" tab and copy the link of a .gguf file.");
        }
        return u;
    }

    static String fileName(URI url) {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    Path partFile() {
        return target.resolveSibling(target.getFileName() + ".part");
    }
}
