import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

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
    static final Pattern GPU_BACKEND = Pattern.compile(
            "(lib)?ggml-(cuda|vulkan|metal|hip|musa|sycl|opencl|cann|blas|rpc)\\.(so|dylib|dll)");

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
            if (args[0].equals("build")) p.build(); else p.smoke();
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
        Path input = assembleInput();
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

    /** target/deps -> target/input: canopy-ui.jar, lib/*.jar, natives/ (CPU libraries and GPU plug-ins). */
    Path assembleInput() throws IOException {
        Path deps = target.resolve("deps");
        if (!Files.isDirectory(deps)) {
            throw new Failure(rel(deps) + " is missing: run through Maven (./mvnw -Pinstaller -pl installers -am package)");
        }
        Path input = target.resolve("input");
        FileTrees.deleteTree(input);
        Path lib = Files.createDirectories(input.resolve("lib"));
        Path nativesJar = null;
        boolean mainJar = false;
        try (Stream<Path> s = Files.list(deps)) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                String name = jar.getFileName().toString();
                if (name.startsWith("canopy-ui-")) {
                    Files.copy(jar, input.resolve("canopy-ui.jar"));
                    mainJar = true;
                } else if (name.startsWith("canopy-native-bindings-") && !name.contains("-tests")) {
                    nativesJar = jar;
                } else if (FileTrees.isEmptyJar(jar)) {
                    log("left out " + name + " (no classes or resources: a placeholder artifact)");
                } else {
                    Files.copy(jar, lib.resolve(name));
                }
            }
        }
        if (!mainJar) throw new Failure("no canopy-ui jar in " + rel(deps));
        if (nativesJar == null) throw new Failure("no canopy-native-bindings jar in " + rel(deps));

        Path natives = input.resolve("natives");
        String platform = unpackNatives(nativesJar, natives);
        // The jar without natives/: the app loads them from $APPDIR/natives (-Dcanopy.natives.dir).
        FileTrees.copyJarWithout(nativesJar, lib.resolve(nativesJar.getFileName()), "natives/");
        addGpuPlugins(natives);
        try (Stream<Path> s = Files.list(natives)) {
            log("natives for " + platform + ": " + s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        FileTrees.deleteTree(deps); // Maven copies it afresh each build; no stale jars next time.
        return input;
    }

    String unpackNatives(Path jar, Path out) throws IOException {
        String platform = (os == Os.MAC ? "mac" : os == Os.WINDOWS ? "win" : "linux") + "-" + arch;
        String prefix = "natives/" + platform + "/";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry list = zip.getEntry(prefix + "files.txt");
            if (list == null) {
                List<String> present = zip.stream().map(ZipEntry::getName)
                        .filter(n -> n.startsWith("natives/") && n.endsWith("/files.txt")).toList();
                throw new Failure(jar.getFileName() + " has no native libraries for " + platform + " (it has "
                        + present + "). The npm registry has no prebuilt llama.cpp for this platform at the pinned "
                        + "version: build them from source with -Pnatives-source (cmake, git, a C++ compiler).");
            }
            Files.createDirectories(out);
            for (ZipEntry e : zip.stream().toList()) {
                if (e.isDirectory() || !e.getName().startsWith(prefix)) continue;
                String name = e.getName().substring(prefix.length());
                if (name.contains("/")) continue;
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, out.resolve(name));
                }
            }
        }
        return platform;
    }

    /** GPU backends from other prebuilt packages of the same llama.cpp build (ggml-base must be identical). */
    void addGpuPlugins(Path natives) throws IOException {
        Path base = FileTrees.findFile(natives, "(lib)?ggml-base\\.(so|dylib|dll)")
                .orElseThrow(() -> new Failure("no ggml-base library in " + rel(natives)));
        byte[] baseBytes = Files.readAllBytes(base);
        List<String> added = new ArrayList<>();
        for (String spec : opts.getOrDefault("gpu", List.of())) {
            String[] parts = spec.split(":", 3);
            if (parts.length != 3) throw new Failure("--gpu wants name:skip:dir, got " + spec);
            if (Boolean.parseBoolean(parts[1])) continue;
            Path dir = Path.of(parts[2]);
            Path gpuBase = FileTrees.findFile(dir, "(lib)?ggml-base\\.(so|dylib|dll)").orElseThrow(() -> new Failure(
                    "GPU package " + parts[0] + " not found in " + dir + " (was it downloaded?)"));
            if (!Arrays.equals(baseBytes, Files.readAllBytes(gpuBase))) {
                throw new Failure("the " + parts[0] + " package's ggml-base differs from the CPU build's: it is not "
                        + "the same llama.cpp build, so its backend cannot be loaded beside it");
            }
            try (Stream<Path> s = Files.list(gpuBase.getParent())) {
                for (Path f : s.filter(p -> GPU_BACKEND.matcher(p.getFileName().toString()).matches()).toList()) {
                    Path dest = natives.resolve(f.getFileName());
                    if (Files.exists(dest)) continue;
                    Files.copy(f, dest);
                    added.add(f.getFileName().toString());
                }
            }
        }
        if (!added.isEmpty()) {
            Files.writeString(natives.resolve("files.txt"), String.join("\n", added) + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            String source = Files.readString(natives.resolve("SOURCE.txt"));
            Files.writeString(natives.resolve("SOURCE.txt"), source.stripTrailing()
                    + "\nGPU backends from the same build's npm packages: " + added + "\n");
            log("GPU backends added: " + added);
        }
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
    // smoke test

    void smoke() throws IOException, InterruptedException {
        String version = opt("version").orElseThrow(() -> new Failure("--version is required"));
        Path out = target.resolve("installers");
        Path smoke = target.resolve("smoke");
        FileTrees.deleteTree(smoke);
        Files.createDirectories(smoke);
        int checked = 0;

        Path image = target.resolve("jpackage/image").resolve(os == Os.MAC ? NAME + ".app" : NAME);
        if (Files.isDirectory(image)) {
            checkVersion(cliLauncher(image), version, smoke.resolve("home-image"));
            checked++;
        }
        List<Path> installers;
        try (Stream<Path> s = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            installers = s.filter(p -> p.toString().matches(".*\\.(deb|rpm|dmg|msi)$")).sorted().toList();
        }
        for (Path pkg : installers) {
            long t = System.nanoTime();
            String type = pkg.toString().substring(pkg.toString().lastIndexOf('.') + 1);
            Path root = smoke.resolve(type + "-root");
            Files.createDirectories(root);
            Runnable cleanup = () -> {};
            switch (type) {
                case "deb" -> run(List.of("dpkg", "-x", pkg.toString(), root.toString()), null, 300);
                case "rpm" -> {
                    if (!onPath("rpm2cpio") || !onPath("cpio")) {
                        log("skipped " + pkg.getFileName() + ": no rpm2cpio/cpio to unpack it");
                        continue;
                    }
                    run(List.of("sh", "-c", "rpm2cpio \"$0\" | (cd \"$1\" && cpio -idm --quiet)", pkg.toString(),
                            root.toString()), null, 300);
                }
                case "dmg" -> {
                    run(List.of("hdiutil", "attach", "-nobrowse", "-readonly", "-noautoopen",
                            "-mountpoint", root.toString(), pkg.toString()), null, 300);
                    cleanup = () -> {
                        try {
                            run(List.of("hdiutil", "detach", root.toString(), "-force"), null, 120);
                        } catch (Exception e) {
                            log("could not detach " + root + ": " + e.getMessage());
                        }
                    };
                }
                case "msi" -> run(List.of("msiexec", "/a", pkg.toString(), "/qn",
                        "TARGETDIR=" + root.toAbsolutePath()), null, 600);
                default -> throw new Failure("unknown installer type " + type);
            }
            try {
                log(String.format("unpacked %s into %s in %.1f s", pkg.getFileName(), rel(root), secs(t)));
                Path launcher = findLauncher(root);
                Path home = smoke.resolve("home-" + type);
                List<String> before = FileTrees.listTree(root);
                checkVersion(launcher, version, home);
                checkSelfTest(launcher, root, home);
                if (!os.equals(Os.MAC) && !FileTrees.listTree(root).equals(before)) {
                    throw new Failure("running the app wrote into its install folder " + root);
                }
                checkWindow(guiLauncher(launcher), home);
                checked++;
            } finally {
                cleanup.run();
            }
        }
        if (checked == 0) throw new Failure("nothing to smoke-test in " + rel(target));
        log(String.format("smoke test passed (%d artifact(s)) in %.1f s", checked, secs(started)));
    }

    Path cliLauncher(Path image) {
        return switch (os) {
            case LINUX -> image.resolve("bin/" + NAME);
            case MAC -> image.resolve("Contents/MacOS/" + NAME);
            case WINDOWS -> image.resolve("canopy-cli.exe");
        };
    }

    Path guiLauncher(Path cli) {
        return os == Os.WINDOWS ? cli.resolveSibling(NAME + ".exe") : cli;
    }

    Path findLauncher(Path root) throws IOException {
        String name = switch (os) {
            case LINUX -> NAME;
            case MAC -> NAME; // Canopy.app/Contents/MacOS/Canopy
            case WINDOWS -> "canopy-cli.exe";
        };
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals(name) && Files.isRegularFile(p))
                    .filter(p -> os != Os.LINUX || p.getParent().getFileName().toString().equals("bin"))
                    .filter(p -> os != Os.MAC || p.getParent().getFileName().toString().equals("MacOS"))
                    .findFirst().orElseThrow(() -> new Failure("no launcher " + name + " under " + root));
        }
    }

    void checkVersion(Path launcher, String version, Path home) throws IOException, InterruptedException {
        long t = System.nanoTime();
        Result r = run(List.of(launcher.toString(), "--version"), home, 120);
        if (r.code != 0 || !r.output.contains("Canopy " + version)) {
            throw new Failure(rel(launcher) + " --version: exit " + r.code + ", expected \"Canopy " + version
                    + "\" in:\n" + r.output);
        }
        log(String.format("ok  %s --version (%.1f s): %s", rel(launcher), secs(t), r.output.lines().findFirst().orElse("")));
    }

    void checkSelfTest(Path launcher, Path root, Path home) throws IOException, InterruptedException {
        long t = System.nanoTime();
        Result r = run(List.of(launcher.toString(), "--self-test"), home, 300);
        System.out.print(r.output.indent(4));
        if (r.code != 0 || !r.output.contains("self-test passed")) {
            throw new Failure(rel(launcher) + " --self-test: exit " + r.code);
        }
        String realRoot = root.toRealPath().toString();
        boolean fromApp = r.output.lines().filter(l -> l.contains("native libraries"))
                .anyMatch(l -> l.contains(realRoot) || l.contains(root.toAbsolutePath().toString()));
        if (!fromApp) {
            throw new Failure("the native libraries were not loaded from the installed app under " + root);
        }
        log(String.format("ok  %s --self-test (%.1f s)", rel(launcher), secs(t)));
    }

    /** Starts the window and checks that it is still up after a while (needs a display). */
    void checkWindow(Path launcher, Path home) throws IOException, InterruptedException {
        String gui = opt("gui").orElse("auto");
        if (gui.equals("false")) return;
        List<String> cmd = new ArrayList<>();
        if (os == Os.LINUX) {
            if (onPath("xvfb-run")) {
                cmd.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"));
            } else if (System.getenv("DISPLAY") == null) {
                if (gui.equals("true")) throw new Failure("no display and no xvfb-run (apt-get install xvfb)");
                log("window check skipped: no display and no xvfb-run");
                return;
            }
        }
        cmd.add(launcher.toString());
        long t = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        isolate(pb, home);
        Path log = home.resolve("window.log");
        Files.createDirectories(home);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean exited = p.waitFor(12, TimeUnit.SECONDS);
        if (!exited) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        String output = Files.readString(log);
        if (exited || output.contains("Exception in") || output.contains("Error: ")) {
            throw new Failure("the window did not stay up (" + (exited ? "exit " + p.exitValue() : "error output")
                    + "):\n" + output);
        }
        log(String.format("ok  %s opened its window and stayed up for %.0f s", rel(launcher), secs(t)));
    }

    /** HOME and the per-user folders in a temporary place; no developer overrides. */
    void isolate(ProcessBuilder pb, Path home) throws IOException {
        Map<String, String> env = pb.environment();
        env.remove("CANOPY_HOME");
        env.remove("CANOPY_NATIVES_DIR");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        if (home == null) return;
        Files.createDirectories(home);
        String h = home.toAbsolutePath().toString();
        env.put("HOME", h);
        env.put("XDG_DATA_HOME", h + "/.local/share");
        env.put("XDG_CACHE_HOME", h + "/.cache");
        env.put("XDG_CONFIG_HOME", h + "/.config");
        env.put("XDG_STATE_HOME", h + "/.local/state");
        if (os == Os.WINDOWS) {
            env.put("USERPROFILE", h);
            env.put("APPDATA", h + "\\AppData\\Roaming");
            env.put("LOCALAPPDATA", h + "\\AppData\\Local");
        }
    }

    record Result(int code, String output) {}

    Result run(List<String> cmd, Path home, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        isolate(pb, home);
        Process p = pb.start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            } catch (IOException ignored) {
                // process gone
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new Failure(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        reader.join(10_000);
        Result r = new Result(p.exitValue(), buf.toString(StandardCharsets.UTF_8));
        if (home == null && r.code != 0) {
            throw new Failure(String.join(" ", cmd) + " failed with exit " + r.code + ":\n" + r.output);
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
