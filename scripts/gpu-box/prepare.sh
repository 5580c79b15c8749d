#!/usr/bin/env bash
# Packs, into .gpubox/ (git-ignored), what a GPU machine with no network, no Java and no Maven needs
# to run Canopy's GPU benchmarks with run.sh there (the device tool's H200: CUDA compiler, CMake,
# 16 cores, 64 MiB of carried files at most):
#   jre.tar.xz        a jlink'ed Java runtime (the CLI's modules only)
#   canopy.tar.xz     the jars of the CLI's benchmark commands (left out: JavaFX and the desktop UI's
#                     libraries, SQLite, and the document readers, which those commands never load)
#   tests.tar.xz      the GPU-gated tests and JUnit, which run.sh runs there before it benchmarks
#   llama-src.tar.xz  llama.cpp's sources (ggml, llama, CMake files) from the release's git bundle in
#                     the npm package node-llama-cpp@3.22.1, checked against the registry's sha512
# Usage (from the repository root): scripts/gpu-box/prepare.sh
# Then, with the device tool: run scripts/gpu-box/run.sh with carry [".gpubox"].
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kit="$root/.gpubox"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$kit"
mkdir -p "$kit"

# 1. Canopy's CLI: the launcher jar and the libraries its benchmark commands load. Without the
#    Vulkan plug-in (43 MB, 14 MB packed): the GPU box builds its own CUDA natives, and the jar's
#    CPU libraries only write the random model.
(cd "$root" && ./mvnw -q -DskipTests -Dnatives.gpu.skip=true -pl ui -am install)
mkdir -p "$tmp/canopy/lib"
cp "$root/ui/target/canopy-ui.jar" "$tmp/canopy/"
for j in "$root"/ui/target/lib/*.jar; do
  case "$(basename "$j")" in
    javafx-*|controlsfx-*|atlantafx-*|ikonli-*|commonmark-*|sqlite-jdbc-*|pdfbox-*|fontbox-*|jsoup-*|commons-logging-*) ;;
    *) cp "$j" "$tmp/canopy/lib/" ;;
  esac
done
tar -C "$tmp" -cJf "$kit/canopy.tar.xz" canopy

# 2. The GPU-gated tests (engine and native-bindings test classes) with JUnit, run by DeviceChecks
mkdir -p "$tmp/tests"
(cd "$root/engine/target/test-classes" && "$JAVA_HOME/bin/jar" cf "$tmp/tests/canopy-engine-tests.jar" .)
(cd "$root/native-bindings/target/test-classes" && "$JAVA_HOME/bin/jar" cf "$tmp/tests/canopy-native-bindings-tests.jar" .)
(cd "$root" && ./mvnw -q -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$tmp/cp.txt")
tr ':' '\n' < "$tmp/cp.txt" | grep -v -e '/dev/canopy/' -e '/byte-buddy/' | while read -r j; do cp "$j" "$tmp/tests/"; done
tar -C "$tmp" -cJf "$kit/tests.tar.xz" tests

# 3. A Java runtime with the modules the CLI uses
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.sql,java.xml,jdk.unsupported \
  --strip-debug --no-man-pages --no-header-files --compress zip-9 --output "$tmp/jre"
tar -C "$tmp" -cJf "$kit/jre.tar.xz" jre

# 4. llama.cpp's sources, from the npm package's git bundle (the same release as the prebuilt natives)
version=3.22.1
sha512=6e5b488a9b9699cd76dc7eed30880318a4ac4ab866865418795502e3c5d38d55bb5c624988927209d95333343f2e25a83e4183a5c2f816f883a60c3ba9f4e20f
tgz="$root/native-bindings/target/llama-source/node-llama-cpp-$version.tgz"
if [ ! -f "$tgz" ]; then
  mkdir -p "$(dirname "$tgz")"
  curl -fsSL -o "$tgz" "https://registry.npmjs.org/node-llama-cpp/-/node-llama-cpp-$version.tgz"
fi
echo "$sha512  $tgz" | sha512sum -c --quiet -
tar -C "$tmp" -xzf "$tgz" package/llama/gitRelease.bundle
git clone --quiet "$tmp/package/llama/gitRelease.bundle" "$tmp/llama.cpp"
(cd "$tmp/llama.cpp" && echo "$(git rev-parse HEAD)" > COMMIT &&
  tar --exclude='ggml/src/ggml-'{sycl,cann,hexagon,opencl,openvino,webgpu,zdnn,zendnn,virtgpu,et,metal,vulkan,musa,hip,blas,rpc} \
      -cJf "$kit/llama-src.tar.xz" COMMIT CMakeLists.txt LICENSE licenses cmake include src vendor ggml)

du -ch "$kit"/*.tar.xz
