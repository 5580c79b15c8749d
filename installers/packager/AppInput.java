import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jpackage input of {@code Packager build}: target/deps (the ui jar and its runtime
 * dependencies, copied by Maven) becomes target/input with canopy-ui.jar, lib/ and natives/ (the
 * platform's libraries unpacked from the native-bindings jar, plus GPU backend plug-ins of the same
 * llama.cpp build from --gpu packages).
 */
final class AppInput {
    static final Pattern GPU_BACKEND = Pattern.compile(
            "(lib)?ggml-(cuda|vulkan|metal|hip|musa|sycl|opencl|cann|blas|rpc)\\.(so|dylib|dll)");

    private final Packager pk;   // the run's options, folders and platform

    AppInput(Packager pk) {
        this.pk = pk;
    }

    /** target/deps -> target/input: canopy-ui.jar, lib/*.jar, natives/ (CPU libraries and GPU plug-ins). */
    Path assemble() throws IOException {
        Path deps = pk.target.resolve("deps");
        if (!Files.isDirectory(deps)) {
            throw new Packager.Failure(pk.rel(deps) + " is missing: run through Maven (./mvnw -Pinstaller -pl installers -am package)");
        }
        Path input = pk.target.resolve("input");
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
                    Packager.log("left out " + name + " (no classes or resources: a placeholder artifact)");
                } else {
                    Files.copy(jar, lib.resolve(name));
                }
            }
        }
        if (!mainJar) throw new Packager.Failure("no canopy-ui jar in " + pk.rel(deps));
        if (nativesJar == null) throw new Packager.Failure("no canopy-native-bindings jar in " + pk.rel(deps));

        Path natives = input.resolve("natives");
        String platform = unpackNatives(nativesJar, natives);
        // The jar without natives/: the app loads them from $APPDIR/natives (-Dcanopy.natives.dir).
        FileTrees.copyJarWithout(nativesJar, lib.resolve(nativesJar.getFileName()), "natives/");
        addGpuPlugins(natives);
        try (Stream<Path> s = Files.list(natives)) {
            Packager.log("natives for " + platform + ": " + s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        FileTrees.deleteTree(deps); // Maven copies it afresh each build; no stale jars next time.
        return input;
    }

    String unpackNatives(Path jar, Path out) throws IOException {
        String platform = (pk.os == Packager.Os.MAC ? "mac" : pk.os == Packager.Os.WINDOWS ? "win" : "linux") + "-" + pk.arch;
        String prefix = "natives/" + platform + "/";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry list = zip.getEntry(prefix + "files.txt");
            if (list == null) {
                List<String> present = zip.stream().map(ZipEntry::getName)
                        .filter(n -> n.startsWith("natives/") && n.endsWith("/files.txt")).toList();
                throw new Packager.Failure(jar.getFileName() + " has no native libraries for " + platform + " (it has "
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
                .orElseThrow(() -> new Packager.Failure("no ggml-base library in " + pk.rel(natives)));
        byte[] baseBytes = Files.readAllBytes(base);
        List<String> added = new ArrayList<>();
        for (String spec : pk.opts.getOrDefault("gpu", List.of())) {
            String[] parts = spec.split(":", 3);
            if (parts.length != 3) throw new Packager.Failure("--gpu wants name:skip:dir, got " + spec);
            if (Boolean.parseBoolean(parts[1])) continue;
            Path dir = Path.of(parts[2]);
            Path gpuBase = FileTrees.findFile(dir, "(lib)?ggml-base\\.(so|dylib|dll)").orElseThrow(() -> new Packager.Failure(
                    "GPU package " + parts[0] + " not found in " + dir + " (was it downloaded?)"));
            if (!Arrays.equals(baseBytes, Files.readAllBytes(gpuBase))) {
                throw new Packager.Failure("the " + parts[0] + " package's ggml-base differs from the CPU build's: it is not "
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
            Packager.log("GPU backends added: " + added);
        }
    }
}
