import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds Canopy's jlink runtime, jpackage app image and the installers of the OS it runs on, and
 * smoke-tests what it built. installers/pom.xml runs it (profile "installer") with the JDK that runs
 * Maven, in installers/; by hand, after {@code ./mvnw -Pinstaller -pl installers -am package}:
 * <pre>
 *   cd installers && java packager/Packager.java build --version 0.1.0-SNAPSHOT
 *   cd installers && java packager/Packager.java smoke --version 0.1.0-SNAPSHOT
 * </pre>
 *
 * <p>build: target/deps (the ui jar and its runtime dependencies, copied by Maven) becomes
 * target/input (canopy-ui.jar, lib/, natives/ unpacked from the native-bindings jar plus GPU backend
 * plug-ins), jdeps + jpackage/modules.txt give the modules of target/runtime (jlink), jpackage makes
 * target/jpackage/image/Canopy[.app] from jpackage/common.args, app.args and OS-app.args, then each
 * installer type of the OS from the image with common.args, OS.args and OS-TYPE.args into
 * target/installers/, with sizes.md listing every artifact's size.
 *
 * <p>smoke: unpacks each installer without installing it (Linux: dpkg -x / rpm2cpio, macOS: hdiutil
 * attach, Windows: msiexec /a), runs the unpacked launcher with --version and --self-test with the
 * home and data folders moved into target/smoke/home, and checks the exit codes, the output, that
 * the native libraries came from the installed app, and that nothing was written into the install
 * folder. With a display (Xvfb on Linux), it also starts the window and checks that it stays up.
 */
public final class Packager {
    enum Os { LINUX, MAC, WINDOWS }

    static final String NAME = "Canopy";

    final Path base = Path.of("").toAbsolutePath();
    final Path target = base.resolve("target");
    final Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    final Os os = detectOs();
    final String arch = detectArch();
    final Map<String, List<String>> opts;
    final long started = System.nanoTime();

    Packager(Map<String, List<String>> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("build") || args[0].equals("smoke"))) {
            System.err.println("usage: java packager/Packager.java build|smoke --version <maven version> "
                    + "[--gpu name:skip:dir]... [--types deb,rpm] [--gui auto|true|false]  (run in installers/)");
            System.exit(2);
        }
        Map<String, List<String>> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option, got " + args[i]);
            int eq = args[i].indexOf('=');
            if (eq > 0) {
                opts.computeIfAbsent(args[i].substring(2, eq), k -> new ArrayList<>()).add(args[i].substring(eq + 1));
            } else if (i + 1 < args.length) {
                opts.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
        }
        Packager p = new Packager(opts);
        if (!Files.isRegularFile(p.base.resolve("jpackage/common.args"))) {
            throw new IllegalStateException("run in installers/ (no jpackage/common.args in " + p.base + ")");
        }
        try {
            if (args[0].equals("build")) p.build(); else new SmokeTest(p).run();
        } catch (Failure f) {
            System.err.println("[packager] FAILED: " + f.getMessage());
            System.exit(1);
        }
    }

    /** An expected failure: its message says what to do. */
    static final class Failure extends RuntimeException {
        Failure(String message) { super(message); }
    }

    // ------------------------------------------------------------------------------------------
    // build

    void build() throws IOException, InterruptedException {
        String version = opt("version").orElseThrow(() -> new Failure("--version is required"));
        String appVersion = packageVersion(version, os);
        log("Canopy " + version + " -> package version " + appVersion + " for " + os + " " + arch
                + " with " + System.getProperty("java.vm.vendor") + " " + Runtime.version());

        long t = System.nanoTime();
        Path input = new AppInput(this).assemble();
        log(String.format("input assembled in %.1f s", secs(t)));

        t = System.nanoTime();
        Icons.writeIcons(target.resolve("icons"));
        log(String.format("icons written in %.1f s", secs(t)));

        t = System.nanoTime();
        Path runtime = jlink(input);
        log(String.format("runtime ready in %.1f s", secs(t)));

        Path argsDir = target.resolve("jpackage/args");
        expandArgs(appVersion, argsDir);
        String osName = os.name().toLowerCase(Locale.ROOT);

        t = System.nanoTime();
        Path imageDir = target.resolve("jpackage/image");
        FileTrees.deleteTree(imageDir);
        List<String> imageCmd = new ArrayList<>(List.of("--type", "app-image", "--dest", rel(imageDir)));
        imageCmd.addAll(argFiles(argsDir, "common", "app", osName + "-app"));
        tool("jpackage", imageCmd);
        Path image = imageDir.resolve(os == Os.MAC ? NAME + ".app" : NAME);
        log(String.format("app image %s built in %.1f s", rel(image), secs(t)));

        Path out = target.resolve("installers");
        FileTrees.deleteTree(out);
        Files.createDirectories(out);
        for (String type : installerTypes()) {
            t = System.nanoTime();
            List<String> cmd = new ArrayList<>(List.of("--type", type, "--app-image", rel(image), "--dest", rel(out)));
            cmd.addAll(argFiles(argsDir, "common", osName, osName + "-" + type));
            tool("jpackage", cmd);
            log(String.format("%s built in %.1f s", type, secs(t)));
        }

        StringBuilder sizes = new StringBuilder()
                .append("| artifact (").append(os.name().toLowerCase(Locale.ROOT)).append('-').append(arch)
                .append(", Canopy ").append(version).append(") | size |\n| --- | --- |\n");
        sizes.append(FileTrees.row("jlink runtime (target/runtime)", FileTrees.treeSize(runtime)));
        sizes.append(FileTrees.row("natives (target/input/natives)", FileTrees.treeSize(input.resolve("natives"))));
        sizes.append(FileTrees.row("app image (target/jpackage/image/" + image.getFileName() + ")", FileTrees.treeSize(image)));
        try (Stream<Path> s = Files.list(out)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                sizes.append(FileTrees.row(f.getFileName().toString(), Files.size(f)));
            }
        }
        Files.writeString(out.resolve("sizes.md"), sizes);
        System.out.print(sizes);
        log(String.format("build finished in %.1f s; installers in %s", secs(started), rel(out)));
    }

    /** The numeric version jpackage accepts: 1 to 3 numbers, and on macOS a first number >= 1. */
    static String packageVersion(String mavenVersion, Os os) {
        Matcher m = Pattern.compile("^(\\d+)(\\.\\d+)?(\\.\\d+)?").matcher(mavenVersion);
        if (!m.find()) throw new Failure("cannot make a package version from " + mavenVersion);
        String v = m.group();
        if (os == Os.MAC && m.group(1).equals("0")) {
            // CFBundleVersion may not start with 0; Canopy --version still prints the real version.
            v = "1" + v.substring(1);
        }
        return v;
    }

    List<String> installerTypes() {
        Optional<String> forced = opt("types").filter(s -> !s.isBlank());
        if (forced.isPresent()) {
            if (forced.get().strip().equals("none")) return List.of();
            return Arrays.stream(forced.get().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return switch (os) {
            case MAC -> List.of("dmg");
            case WINDOWS -> List.of("msi");
            case LINUX -> {
                List<String> types = new ArrayList<>();
                if (onPath("dpkg-deb")) {
                    if (!onPath("fakeroot")) {
                        throw new Failure("jpackage needs fakeroot to build a .deb: apt-get install fakeroot");
                    }
                    types.add("deb");
                }
                if (onPath("rpmbuild")) types.add("rpm");
                if (types.isEmpty()) {
                    throw new Failure("neither dpkg-deb nor rpmbuild is on the PATH: apt-get install dpkg fakeroot"
                            + " (or rpm), or pass -Dinstaller.types=none to build the app image only");
                }
                log("installer types: " + types + (types.contains("rpm") ? "" : " (no rpmbuild on the PATH: no .rpm)"));
                yield types;
            }
        };
    }

    /** jdeps over the class path + jpackage/modules.txt -> jlink target/runtime (reused when unchanged). */
    Path jlink(Path input) throws IOException, InterruptedException {
        List<String> jars = new ArrayList<>();
        jars.add(input.resolve("canopy-ui.jar").toString());
        try (Stream<Path> s = Files.list(input.resolve("lib"))) {
            s.sorted().forEach(p -> jars.add(p.toString()));
        }
        List<String> jdepsArgs = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps",
                "--multi-release", Integer.toString(Runtime.version().feature()),
                "--class-path", String.join(java.io.File.pathSeparator, jars)));
        jdepsArgs.addAll(jars);
        String jdepsOut = capture(javaBin.resolve("jdeps").toString(), jdepsArgs);
        String last = jdepsOut.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("Warning"))
                .reduce((a, b) -> b).orElse("");
        TreeSet<String> listed = new TreeSet<>(Files.readAllLines(base.resolve("jpackage/modules.txt")).stream()
                .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList());
        TreeSet<String> modules = new TreeSet<>(listed);
        TreeSet<String> fromJdeps = new TreeSet<>();
        for (String m : last.split(",")) {
            m = m.strip();
            if (!m.isEmpty() && ModuleFinder.ofSystem().find(m).isPresent()) fromJdeps.add(m);
        }
        modules.addAll(fromJdeps);
        TreeSet<String> extra = new TreeSet<>(fromJdeps);
        extra.removeAll(listed);
        log("jdeps: " + fromJdeps + (extra.isEmpty() ? "" : "; not in jpackage/modules.txt yet: " + extra));

        List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", modules),
                "--no-header-files", "--no-man-pages", "--strip-native-commands", "--compress=zip-6"));
        if (os != Os.LINUX || onPath("objcopy")) {
            args.add("--strip-debug");
        } else {
            log("WARNING: no objcopy on the PATH (apt-get install binutils): native debug symbols are kept");
            args.add("--strip-java-debug-attributes");
        }
        Path runtime = target.resolve("runtime");
        String stamp = Runtime.version() + " " + System.getProperty("java.home") + " " + args;
        Path stampFile = target.resolve("runtime.stamp");
        if (Files.isDirectory(runtime) && Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            log("jlink: runtime unchanged, reused (" + modules.size() + " modules)");
            return runtime;
        }
        FileTrees.deleteTree(runtime);
        Files.deleteIfExists(stampFile);
        args.addAll(List.of("--output", rel(runtime)));
        tool("jlink", args);
        Files.writeString(stampFile, stamp);
        return runtime;
    }

    void expandArgs(String appVersion, Path out) throws IOException {
        FileTrees.deleteTree(out);
        Files.createDirectories(out);
        try (Stream<Path> s = Files.list(base.resolve("jpackage"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".args")).toList()) {
                Files.writeString(out.resolve(f.getFileName()),
                        Files.readString(f).replace("@APP_VERSION@", appVersion));
            }
        }
    }

    List<String> argFiles(Path dir, String... names) {
        List<String> r = new ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n + ".args");
            if (Files.isRegularFile(f)) r.add("@" + rel(f));
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    void tool(String name, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin.resolve(name).toString());
        cmd.addAll(args);
        log("$ " + name + " " + String.join(" ", args));
        Process p = new ProcessBuilder(cmd).directory(base.toFile()).inheritIO().start();
        int code = p.waitFor();
        if (code != 0) throw new Failure(name + " failed with exit " + code + hint(name));
    }

    String hint(String tool) {
        if (!tool.equals("jpackage")) return "";
        return switch (os) {
            case LINUX -> " (a .deb needs dpkg-deb and fakeroot: apt-get install dpkg fakeroot; an .rpm needs rpmbuild)";
            case WINDOWS -> " (an .msi needs the WiX Toolset 3.14 or 4/5 on the PATH)";
            case MAC -> " (a .dmg needs hdiutil and the Xcode command line tools)";
        };
    }

    String capture(String exe, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(base.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new Failure(exe + " failed: " + out);
        return out;
    }

    Optional<String> opt(String name) {
        List<String> v = opts.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p) || Files.isExecutable(Path.of(dir, exe + ".exe"))) return true;
        }
        return false;
    }

    String rel(Path p) {
        Path abs = p.toAbsolutePath();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    static double secs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static void log(String msg) {
        System.out.println("[packager] " + msg);
        System.out.flush();
    }

    static Os detectOs() {
        String n = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (n.startsWith("mac") || n.startsWith("darwin")) return Os.MAC;
        if (n.startsWith("windows")) return Os.WINDOWS;
        return Os.LINUX;
    }

    static String detectArch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }
}
