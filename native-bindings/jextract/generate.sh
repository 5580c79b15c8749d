#!/usr/bin/env bash
# Regenerates the FFM bindings in src/main/java/dev/canopy/natives/ffi from the llama.cpp release's
# headers. Never edit the generated files by hand: change includes.txt (the trimmed symbol list) or
# this script and run it again.
#
# Needs: jextract (for JDK 25) on PATH; the llama.cpp source of the release, either in $LLAMA_SRC or
# fetched here from the npm registry (node-llama-cpp@3.22.1's git bundle, sha512-checked).
#
# Usage: native-bindings/jextract/generate.sh            regenerate with includes.txt
#        native-bindings/jextract/generate.sh --dump     write every symbol to includes-all.txt (to trim from)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
out="$module/src/main/java"
pkg=dev.canopy.natives.ffi

if [ -z "${LLAMA_SRC:-}" ]; then
  LLAMA_SRC="$module/target/llama-headers/src"
  if [ ! -f "$LLAMA_SRC/include/llama.h" ]; then
    tgz="$module/target/llama-headers/node-llama-cpp-3.22.1.tgz"
    mkdir -p "$(dirname "$tgz")"
    curl -fsSL -o "$tgz" https://registry.npmjs.org/node-llama-cpp/-/node-llama-cpp-3.22.1.tgz
    want=$(echo 'bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw==' | base64 -d | od -An -tx1 | tr -d ' \n')
    got=$(sha512sum "$tgz" | cut -d' ' -f1)
    [ "$want" = "$got" ] || { echo "sha512 mismatch for $tgz" >&2; exit 1; }
    tar -xzf "$tgz" -C "$(dirname "$tgz")" package/llama/gitRelease.bundle
    rm -rf "$LLAMA_SRC"
    git clone --quiet "$(dirname "$tgz")/package/llama/gitRelease.bundle" "$LLAMA_SRC"
  fi
fi

args=(-I "$LLAMA_SRC/include" -I "$LLAMA_SRC/ggml/include" -t "$pkg" --header-class-name llama_h "$here/canopy.h")
if [ "${1:-}" = "--dump" ]; then
  jextract --dump-includes "$here/includes-all.txt" "${args[@]}"
  echo "wrote $here/includes-all.txt; keep the lines you need in includes.txt"
  exit 0
fi

rm -rf "${out:?}/${pkg//.//}"
jextract --output "$out" @"$here/includes.txt" "${args[@]}"
echo "generated $(find "$out/${pkg//.//}" -name '*.java' | wc -l) files in $out/${pkg//.//}"
