package dev.canopy.natives;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.regex.Pattern;

/**
 * Finds the llama.cpp / ggml shared libraries for a platform and loads them into this class
 * loader (so the generated bindings' {@code SymbolLookup.loaderLookup()} sees their symbols).
 *
 * <p>Where it looks, in order:
 * <ol>
 *   <li>the folder named by the system property {@value #DIR_PROPERTY} or the environment variable
 *       {@value #DIR_ENV} (a source build, a CUDA build); when set, nothing else is tried;</li>
 *   <li>{@code natives/<platform>/} on the class path: used in place when it is a folder, or
 *       extracted once to a per-user cache folder when it is inside a jar.</li>
 * </ol>
 * Every folder holds {@code files.txt} (one library file name a line). The libraries are loaded
 * as ggml-base, ggml, llama; ggml's CPU backend variants and GPU backends are loaded later by
 * ggml itself from the same folder. Failure gives a {@link NativeLibraryException} naming the OS,
 * the architecture and every path tried.
 */
public final class NativeLibraryLoader {
    public static final String DIR_PROPERTY = "canopy.natives.dir";
    public static final String DIR_ENV = "CANOPY_NATIVES_DIR";
    /** The libraries the bindings call into, in dependency order. */
    static final List<String> LIBRARIES = List.of("ggml-base", "ggml", "llama");

    private final Platform platform;
    private final Optional<Path> overrideDir;
    private final Path cacheRoot;

    public NativeLibraryLoader(Platform platform, Optional<Path> overrideDir, Path cacheRoot) {
        this.platform = platform;
        this.overrideDir = overrideDir;
        this.cacheRoot = cacheRoot;
    }

    /** A loader for this JVM's platform, override and per-user cache folder. */
    public static NativeLibraryLoader forCurrentProcess() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) dir = System.getenv(DIR_ENV);
        Optional<Path> override = dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
        return new NativeLibraryLoader(Platform.current(), override, UserDirs.cache().resolve("natives"));
    }

    /** The folder the libraries were loaded from and the files loaded, in order. */
    public record Loaded(Platform platform, Path directory, List<Path> libraries) {}

    /** Locates and loads the libraries; throws {@link NativeLibraryException} with every path tried. */
    public Loaded load() {
        List<String> tried = new ArrayList<>();
        if (overrideDir.isPresent()) {
            return loadFrom(overrideDir.get(), tried, "from -D" + DIR_PROPERTY + " / $" + DIR_ENV);
        }
        String resource = "natives/" + platform.id() + "/files.txt";
        URL url = NativeLibraryLoader.class.getClassLoader().getResource(resource);
        if (url == null) {
            tried.add("class path resource " + resource + " (not present: this build has no libraries for "
                    + platform.id() + "; build with -Pnatives-source or set " + DIR_ENV + ")");
            throw failure(tried, null);
        }
        Path dir;
        try {
            dir = "file".equals(url.getProtocol())
                    ? Path.of(url.toURI()).getParent()
                    : extract(resource, tried);
        } catch (IOException | URISyntaxException e) {
            tried.add(url + " (could not be extracted: " + e.getMessage() + ")");
            throw failure(tried, e);
        }
        return loadFrom(dir, tried, "");
    }

    private Loaded loadFrom(Path dir, List<String> tried, String origin) {
        String where = dir.toAbsolutePath() + (origin.isEmpty() ? "" : " (" + origin + ")");
        List<String> files;
        try {
            files = Files.readAllLines(dir.resolve("files.txt"), StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            tried.add(where + ": no readable files.txt");
            throw failure(tried, e);
        }
        List<Path> loaded = new ArrayList<>();
        for (String lib : LIBRARIES) {
            Optional<String> file = files.stream().filter(f -> matches(lib, f)).findFirst();
            if (file.isEmpty()) {
                tried.add(where + ": files.txt lists no " + platform.sharedLibraryFileName(lib));
                throw failure(tried, null);
            }
            Path path = dir.resolve(file.get()).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                tried.add(path + " (missing)");
                throw failure(tried, null);
            }
            try {
                System.load(path.toString());
            } catch (UnsatisfiedLinkError e) {
                tried.add(path + " (cannot be loaded: " + e.getMessage() + ")");
                throw failure(tried, e);
            }
            loaded.add(path);
        }
        return new Loaded(platform, dir.toAbsolutePath(), List.copyOf(loaded));
    }

    /**
     * {@code ggml} matches libggml.so, libggml.v0.5.0.so, ggml.dll, libggml.dylib and the GPU
     * packages' libggml.vulkan.v0.5.0.so / libggml.cuda.v0.5.0.so; not libggml-base.so.
     */
    static boolean matches(String lib, String fileName) {
        Pattern p = Pattern.compile("(lib)?" + Pattern.quote(lib) + "(\\.(cuda|vulkan|metal))?(\\.v?[0-9][0-9.]*)?\\.(so|dylib|dll)(\\.[0-9]+)*");
        return p.matcher(fileName).matches();
    }

    /** Copies natives/<platform>/ out of the jar once, into a folder named by the content's hash. */
    private Path extract(String listResource, List<String> tried) throws IOException {
        ClassLoader cl = NativeLibraryLoader.class.getClassLoader();
        String prefix = listResource.substring(0, listResource.lastIndexOf('/') + 1);
        byte[] list = readResource(cl, listResource);
        byte[] source = cl.getResource(prefix + "SOURCE.txt") == null ? new byte[0] : readResource(cl, prefix + "SOURCE.txt");
        Path target = cacheRoot.resolve(platform.id() + "-" + contentKey(cl, prefix, list, source));
        if (Files.isRegularFile(target.resolve(".complete"))) return target;

        Files.createDirectories(cacheRoot);
        Path tmp = Files.createTempDirectory(cacheRoot, platform.id() + "-tmp-");
        for (String name : names(list)) {
            try (InputStream in = cl.getResourceAsStream(prefix + name)) {
                if (in == null) {
                    tried.add("class path resource " + prefix + name + " (listed in files.txt but missing)");
                    throw failure(tried, null);
                }
                Files.copy(in, tmp.resolve(name));
            }
        }
        Files.write(tmp.resolve("files.txt"), list);
        Files.write(tmp.resolve("SOURCE.txt"), source);
        Files.createFile(tmp.resolve(".complete"));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException
                 | java.nio.file.DirectoryNotEmptyException e) {
            // Another process extracted the same content first: use theirs.
            deleteTree(tmp);
            if (!Files.isRegularFile(target.resolve(".complete"))) throw e;
        }
        return target;
    }

    /**
     * The extracted folder's name: a hash of the file list, SOURCE.txt and every listed library's
     * content, so that a rebuilt library under the same name (a changed patch on ggml-rpc, a newer
     * build) is extracted afresh instead of a stale copy being loaded. A library inside a jar counts
     * by its entry's size and CRC-32 (read from the jar's directory, nothing is inflated); elsewhere
     * by its bytes. A listed file that is missing counts as absent; {@link #extract} reports it.
     */
    static String contentKey(ClassLoader cl, String prefix, byte[] list, byte[] source) throws IOException {
        MessageDigest md = sha256();
        md.update(list);
        md.update(source);
        for (String name : names(list)) {
            md.update(("\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            URL url = cl.getResource(prefix + name);
            if (url == null) continue;
            URLConnection c = url.openConnection();   // a jar's connections share one cached JarFile
            if (c instanceof JarURLConnection jar) {   // a JDK type: the entry's size and CRC without reading it
                JarEntry e = jar.getJarEntry();
                md.update((e.getSize() + ":" + e.getCrc()).getBytes(StandardCharsets.UTF_8));
            } else {
                try (InputStream in = c.getInputStream()) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }

    private static List<String> names(byte[] list) {
        return new String(list, StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static byte[] readResource(ClassLoader cl, String name) throws IOException {
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing class path resource " + name);
            return in.readAllBytes();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private NativeLibraryException failure(List<String> tried, Throwable cause) {
        StringBuilder sb = new StringBuilder()
                .append("Canopy could not load the llama.cpp native libraries for ").append(platform.id())
                .append(" (os.name=").append(System.getProperty("os.name"))
                .append(", os.arch=").append(System.getProperty("os.arch")).append("). Tried:");
        for (String t : tried) sb.append("\n  - ").append(t);
        return new NativeLibraryException(sb.toString(), cause);
    }
}
