#!/usr/bin/env bash
# Builds llama.cpp (the release in node-llama-cpp's git bundle) from source with cmake and copies
# the shared libraries to <natives-dir>/<os>-<arch>/ with the files.txt list the loader reads.
# Usage: build-natives-from-source.sh BUNDLE BUILD_DIR NATIVES_DIR CUDA(ON|OFF) METAL(ON|OFF) VULKAN(ON|OFF)
# BUNDLE may also be a folder holding the sources. CANOPY_CMAKE_ARGS adds cmake options (e.g.
# -DCMAKE_CUDA_ARCHITECTURES=90 to build CUDA kernels for one GPU generation only).
set -euo pipefail
bundle=$1 build=$2 natives=$3 cuda=$4 metal=$5 vulkan=$6

case "$(uname -s)" in
  Linux) os=linux ;; Darwin) os=mac ;; MINGW*|MSYS*|CYGWIN*) os=win ;; *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported arch $(uname -m)" >&2; exit 1 ;;
esac
platform="$os-$arch"

if [ -d "$bundle" ]; then
  src="$bundle"
else
  src="$build/src"
  if [ ! -d "$src/.git" ]; then
    rm -rf "$src"
    git clone --quiet "$bundle" "$src"
  fi
  # Canopy's patches on ggml-rpc (decision 0185), once: a lost RPC worker is an error, not an abort
  for p in "$(cd "$(dirname "${BASH_SOURCE[0]}")/../patches" && pwd)"/ggml-rpc-*.patch; do
    [ -f "$p" ] || continue
    git -C "$src" apply --reverse --check "$p" 2>/dev/null || git -C "$src" apply "$p"
  done
fi

cpu_variants=ON
[ "$arch" = x64 ] || cpu_variants=OFF
cmake -S "$src" -B "$build/cmake" -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
  -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_APP=OFF \
  -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=$cpu_variants -DGGML_NATIVE=OFF \
  -DGGML_CUDA=$cuda -DGGML_METAL=$metal -DGGML_VULKAN=$vulkan -DGGML_RPC=ON \
  -DCMAKE_INSTALL_RPATH='$ORIGIN' -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON ${CANOPY_CMAKE_ARGS:-}
cmake --build "$build/cmake" --config Release -j "$(nproc 2>/dev/null || echo 2)"

out="$natives/$platform"
rm -rf "$out"; mkdir -p "$out"
find "$build/cmake/bin" "$build/cmake/lib" -maxdepth 2 \( -name '*.so' -o -name '*.so.*' -o -name '*.dylib' -o -name '*.dll' -o -name '*.metal' \) \
  -exec cp -L {} "$out/" \; 2>/dev/null || true
(cd "$out" && ls -1 | grep -v -e '^files.txt$' -e '^SOURCE.txt$' > files.txt)
commit=$(cat "$src/COMMIT" 2>/dev/null || git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
echo "llama.cpp built from source ($commit); CUDA=$cuda METAL=$metal VULKAN=$vulkan" > "$out/SOURCE.txt"
echo "natives for $platform in $out:"; cat "$out/files.txt"
