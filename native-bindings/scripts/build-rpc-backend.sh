#!/usr/bin/env bash
# Builds ggml's RPC backend plug-in (libggml-rpc.so) from the llama.cpp release in node-llama-cpp's git
# bundle, against the prebuilt libggml-base.so already in NATIVES_DIR, and adds it to files.txt there.
# Only ggml-rpc.cpp and transport.cpp are compiled (a few seconds of g++); the prebuilt packages do
# not carry this backend. ggml_backend_load_all_from_path then loads it like the Vulkan plug-in.
# Canopy's patches (../patches/ggml-rpc-*.patch; decision 0185: a lost worker is an error, not an
# abort) are applied to a copy of the two files, never to the checked-out sources.
#
# Usage: build-rpc-backend.sh BUNDLE WORK_DIR NATIVES_DIR
#   BUNDLE      node-llama-cpp's package/llama/gitRelease.bundle (or a folder holding the sources)
#   WORK_DIR    where the sources and the built library are kept between builds
#   NATIVES_DIR natives/<os>-<arch>/ holding libggml-base and files.txt
# Without g++ or git it warns and leaves the RPC backend out (exit 0): `canopy worker` and --rpc then
# say that the build has no RPC backend, and the RPC tests are skipped.
set -euo pipefail
bundle=$1 work=$2 natives=$3

warn() { echo "build-rpc-backend: WARNING: $*; the RPC backend (libggml-rpc) is left out: canopy worker and --rpc are unavailable" >&2; exit 0; }
[ "$(uname -s)" = Linux ] || warn "only Linux builds it here (macOS/Windows: -Pnatives-source builds it with cmake)"
cxx=${CXX:-g++}
command -v "$cxx" >/dev/null 2>&1 || warn "no C++ compiler ($cxx)"
[ -f "$natives/libggml-base.so" ] || warn "no libggml-base.so in $natives"

# The sources: only the files the RPC backend needs, from the release's git bundle.
src="$work/src"
if [ -d "$bundle" ]; then
  src="$bundle"
elif [ ! -f "$src/ggml/src/ggml-rpc/ggml-rpc.cpp" ]; then
  command -v git >/dev/null 2>&1 || warn "no git to read the release's git bundle"
  rm -rf "$src"
  git clone --quiet --no-checkout "$bundle" "$src"
  git -C "$src" -c advice.detachedHead=false checkout --quiet HEAD -- ggml/include ggml/src/ggml-rpc \
    ggml/src/ggml-impl.h ggml/src/ggml-backend-impl.h ggml/src/ggml-common.h
fi

# Canopy's patches, applied to a copy of the backend's folder.
patches=( "$(cd "$(dirname "${BASH_SOURCE[0]}")/../patches" && pwd)"/ggml-rpc-*.patch )
patched="$work/patched"
rm -rf "$patched"; mkdir -p "$patched/ggml/src"
cp -r "$src/ggml/src/ggml-rpc" "$patched/ggml/src/"
for p in "${patches[@]}"; do
  [ -f "$p" ] || continue
  if command -v patch >/dev/null 2>&1; then
    patch --quiet --forward -p1 -d "$patched" < "$p" || { echo "build-rpc-backend: $p does not apply" >&2; exit 1; }
  else
    # as a plain patch: inside a repository (this one), git apply would silently skip paths outside it
    (cd "$patched" && GIT_CEILING_DIRECTORIES="$(dirname "$PWD")" git apply -p1 "$p") \
      || { echo "build-rpc-backend: $p does not apply" >&2; exit 1; }
  fi
done

# Rebuilt only when the sources, the patches or the ggml-base it links change.
key=$( { cat "$src/ggml/src/ggml-rpc/ggml-rpc.cpp" "$src/ggml/src/ggml-rpc/transport.cpp" "${patches[@]}" "$natives/libggml-base.so"; "$cxx" --version | head -1; } 2>/dev/null | sha256sum | cut -c1-16)
lib="$work/libggml-rpc-$key.so"
if [ ! -f "$lib" ]; then
  start=$(date +%s)
  g="$src/ggml"
  # as ggml's CMake builds a backend plug-in (ggml_add_backend_library with GGML_BACKEND_DL=ON);
  # GGML_RPC_RDMA stays off (no libibverbs needed)
  "$cxx" -std=c++17 -O2 -fPIC -shared -fvisibility=hidden -DNDEBUG \
    -DGGML_BACKEND_DL -DGGML_BACKEND_BUILD -DGGML_BACKEND_SHARED -DGGML_SHARED \
    -I"$g/include" -I"$g/src" -I"$patched/ggml/src/ggml-rpc" \
    "$patched/ggml/src/ggml-rpc/ggml-rpc.cpp" "$patched/ggml/src/ggml-rpc/transport.cpp" \
    -L"$natives" -l:libggml-base.so -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined -lpthread \
    -o "$lib.tmp" || warn "$cxx failed"
  mv "$lib.tmp" "$lib"
  echo "build-rpc-backend: compiled libggml-rpc.so in $(( $(date +%s) - start )) s"
fi
cp "$lib" "$natives/libggml-rpc.so"
(cd "$natives" && ls -1 | grep -v -e '^files.txt$' -e '^SOURCE.txt$' > files.txt)
commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "RPC backend plug-in libggml-rpc.so compiled from the release's git bundle (node-llama-cpp@3.22.1, $commit) with $(basename -a "${patches[@]}" | paste -sd' ') against this ggml-base" >> "$natives/SOURCE.txt"
echo "build-rpc-backend: libggml-rpc.so in $natives"
