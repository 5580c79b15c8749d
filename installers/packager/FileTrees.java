import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** File and jar helpers of the packager: tree sizes and listings, jar copies, size rows. */
final class FileTrees {
    private FileTrees() {}

    static boolean isEmptyJar(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().allMatch(e -> e.isDirectory() || e.getName().startsWith("META-INF/"));
        }
    }

    static void copyJarWithout(Path from, Path to, String prefix) throws IOException {
        try (ZipFile zip = new ZipFile(from.toFile());
             OutputStream fos = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(fos)) {
            for (ZipEntry e : zip.stream().toList()) {
                if (e.getName().startsWith(prefix)) continue;
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                try (InputStream in = zip.getInputStream(e)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    static Optional<Path> findFile(Path dir, String regex) throws IOException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        Pattern p = Pattern.compile(regex);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> Files.isRegularFile(f) && p.matcher(f.getFileName().toString()).matches())
                    .sorted().findFirst();
        }
    }

    static List<String> listTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static long treeSize(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static String row(String what, long bytes) {
        return String.format(Locale.ROOT, "| %s | %.1f MiB |%n", what, bytes / 1048576.0);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        }
    }
}
