import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code Packager smoke}: unpacks every built installer into a temporary root (dpkg -x, rpm2cpio,
 * hdiutil, msiexec /a) and checks the installed launcher: --version, --self-test loading the
 * natives from the installed app, nothing written into the install folder, and the window staying
 * up. Each run gets its own HOME, so the developer's data is never touched.
 */
final class SmokeTest {
    private final Packager pk;   // the run's options, folders and platform

    SmokeTest(Packager pk) {
        this.pk = pk;
    }


    void run() throws IOException, InterruptedException {
        String version = pk.opt("version").orElseThrow(() -> new Packager.Failure("--version is required"));
        Path out = pk.target.resolve("installers");
        Path smoke = pk.target.resolve("smoke");
        FileTrees.deleteTree(smoke);
        Files.createDirectories(smoke);
        int checked = 0;

        Path image = pk.target.resolve("jpackage/image").resolve(pk.os == Packager.Os.MAC ? Packager.NAME + ".app" : Packager.NAME);
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
                    if (!Packager.onPath("rpm2cpio") || !Packager.onPath("cpio")) {
                        Packager.log("skipped " + pkg.getFileName() + ": no rpm2cpio/cpio to unpack it");
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
                            Packager.log("could not detach " + root + ": " + e.getMessage());
                        }
                    };
                }
                case "msi" -> run(List.of("msiexec", "/a", pkg.toString(), "/qn",
                        "TARGETDIR=" + root.toAbsolutePath()), null, 600);
                default -> throw new Packager.Failure("unknown installer type " + type);
            }
            try {
                Packager.log(String.format("unpacked %s into %s in %.1f s", pkg.getFileName(), pk.rel(root), Packager.secs(t)));
                Path launcher = findLauncher(root);
                Path home = smoke.resolve("home-" + type);
                List<String> before = FileTrees.listTree(root);
                checkVersion(launcher, version, home);
                checkSelfTest(launcher, root, home);
                if (!pk.os.equals(Packager.Os.MAC) && !FileTrees.listTree(root).equals(before)) {
                    throw new Packager.Failure("running the app wrote into its install folder " + root);
                }
                checkWindow(guiLauncher(launcher), home);
                checked++;
            } finally {
                cleanup.run();
            }
        }
        if (checked == 0) throw new Packager.Failure("nothing to smoke-test in " + pk.rel(pk.target));
        Packager.log(String.format("smoke test passed (%d artifact(s)) in %.1f s", checked, Packager.secs(pk.started)));
    }

    Path cliLauncher(Path image) {
        return switch (pk.os) {
            case LINUX -> image.resolve("bin/" + Packager.NAME);
            case MAC -> image.resolve("Contents/MacOS/" + Packager.NAME);
            case WINDOWS -> image.resolve("canopy-cli.exe");
        };
    }

    Path guiLauncher(Path cli) {
        return pk.os == Packager.Os.WINDOWS ? cli.resolveSibling(Packager.NAME + ".exe") : cli;
    }

    Path findLauncher(Path root) throws IOException {
        String name = switch (pk.os) {
            case LINUX -> Packager.NAME;
            case MAC -> Packager.NAME; // Canopy.app/Contents/MacOS/Canopy
            case WINDOWS -> "canopy-cli.exe";
        };
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals(name) && Files.isRegularFile(p))
                    .filter(p -> pk.os != Packager.Os.LINUX || p.getParent().getFileName().toString().equals("bin"))
                    .filter(p -> pk.os != Packager.Os.MAC || p.getParent().getFileName().toString().equals("MacOS"))
                    .findFirst().orElseThrow(() -> new Packager.Failure("no launcher " + name + " under " + root));
        }
    }

    void checkVersion(Path launcher, String version, Path home) throws IOException, InterruptedException {
        long t = System.nanoTime();
        Result r = run(List.of(launcher.toString(), "--version"), home, 120);
        if (r.code != 0 || !r.output.contains("Canopy " + version)) {
            throw new Packager.Failure(pk.rel(launcher) + " --version: exit " + r.code + ", expected \"Canopy " + version
                    + "\" in:\n" + r.output);
        }
        Packager.log(String.format("ok  %s --version (%.1f s): %s", pk.rel(launcher), Packager.secs(t), r.output.lines().findFirst().orElse("")));
    }

    void checkSelfTest(Path launcher, Path root, Path home) throws IOException, InterruptedException {
        long t = System.nanoTime();
        Result r = run(List.of(launcher.toString(), "--self-test"), home, 300);
        System.out.print(r.output.indent(4));
        if (r.code != 0 || !r.output.contains("self-test passed")) {
            throw new Packager.Failure(pk.rel(launcher) + " --self-test: exit " + r.code);
        }
        String realRoot = root.toRealPath().toString();
        boolean fromApp = r.output.lines().filter(l -> l.contains("native libraries"))
                .anyMatch(l -> l.contains(realRoot) || l.contains(root.toAbsolutePath().toString()));
        if (!fromApp) {
            throw new Packager.Failure("the native libraries were not loaded from the installed app under " + root);
        }
        Packager.log(String.format("ok  %s --self-test (%.1f s)", pk.rel(launcher), Packager.secs(t)));
    }

    /** Starts the window and checks that it is still up after a while (needs a display). */
    void checkWindow(Path launcher, Path home) throws IOException, InterruptedException {
        String gui = pk.opt("gui").orElse("auto");
        if (gui.equals("false")) return;
        List<String> cmd = new ArrayList<>();
        if (pk.os == Packager.Os.LINUX) {
            if (Packager.onPath("xvfb-run")) {
                cmd.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"));
            } else if (System.getenv("DISPLAY") == null) {
                if (gui.equals("true")) throw new Packager.Failure("no display and no xvfb-run (apt-get install xvfb)");
                Packager.log("window check skipped: no display and no xvfb-run");
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
            throw new Packager.Failure("the window did not stay up (" + (exited ? "exit " + p.exitValue() : "error output")
                    + "):\n" + output);
        }
        Packager.log(String.format("ok  %s opened its window and stayed up for %.0f s", pk.rel(launcher), Packager.secs(t)));
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
        if (pk.os == Packager.Os.WINDOWS) {
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
            throw new Packager.Failure(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        reader.join(10_000);
        Result r = new Result(p.exitValue(), buf.toString(StandardCharsets.UTF_8));
        if (home == null && r.code != 0) {
            throw new Packager.Failure(String.join(" ", cmd) + " failed with exit " + r.code + ":\n" + r.output);
        }
        return r;
    }
}
