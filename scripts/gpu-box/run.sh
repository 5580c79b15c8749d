#!/usr/bin/env bash
# Canopy's GPU benchmarks on a machine with no network, Java or Maven (the device tool's GPU box),
# from the repository root, with the kit that scripts/gpu-box/prepare.sh packed into .gpubox/:
#   1. builds llama.cpp's natives with CUDA for this GPU only, while it writes a random-weight
#      1B-shaped model (canopy random-model) on the side;
#   2. check:    the GPU-gated tests (GPU layers, KV tiers on the GPU, llama.cpp's KV placement), so
#                that the figures after them come from a graph that computes what the CPU computes;
#   3. bench:    DHSA and dense Canopy against dense llama.cpp, every layer on the GPU (issue 4);
#   4. bench-kv: decode with the KV in tiers under a VRAM budget against llama.cpp with its KV in
#                RAM, --no-kv-offload (issue 5).
# Every figure lands in $OUT (the device tool brings it back): info.txt, gpu-tests.txt, bench.txt,
# bench-kv.txt, run.log.
# With the device tool: run(command="bash scripts/gpu-box/run.sh", carry=[".gpubox"], timeout_s=600),
# after scripts/gpu-box/prepare.sh here (the kit is made from the working tree, so it runs this code).
# Environment (defaults in brackets): OUT [/tmp/canopy-gpu/out], BACKEND [cuda; cpu = a dry run on
# any machine], CUDA_ARCH [90 = H100/H200], THREADS [nproc], BENCH_TOKENS [8192,32768],
# KV_TOKENS [65536], KV_GPU_MB [512], KV_ATTEND [0 = every key], SHAPE [1b; tiny for a dry run],
# STAGES [build,check,bench,benchkv].
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kit="$root/.gpubox"
work=${WORK:-/tmp/canopy-gpu}
out=${OUT:-$work/out}
backend=${BACKEND:-cuda}
threads=${THREADS:-$(nproc)}
stages=${STAGES:-build,check,bench,benchkv}
shape=${SHAPE:-1b}
model="$work/random-$shape.gguf"
natives="$work/natives/linux-x64"
mkdir -p "$work" "$out"
log() { echo "[$(date +%T)] $*" | tee -a "$out/run.log"; }
has() { [[ ",$stages," == *",$1,"* ]]; }

[ -d "$kit" ] || { echo "no $kit: run scripts/gpu-box/prepare.sh first and carry .gpubox" >&2; exit 1; }
[ -x "$work/jre/bin/java" ] || tar -C "$work" -xJf "$kit/jre.tar.xz"
[ -f "$work/canopy/canopy-ui.jar" ] || tar -C "$work" -xJf "$kit/canopy.tar.xz"
java="$work/jre/bin/java"
canopy() { "$java" --enable-native-access=ALL-UNNAMED -jar "$work/canopy/canopy-ui.jar" "$@"; }
gpu() { CANOPY_NATIVES_DIR="$natives" canopy "$@"; }

if has build; then
  if [ ! -f "$model" ]; then
    log "writing the random $shape-shaped model (CPU natives from the jar) while the natives build"
    (canopy random-model --shape "$shape" --out "$model" >>"$out/run.log" 2>&1) &
    model_pid=$!
  fi
  log "building llama.cpp natives, backend $backend"
  rm -rf "$work/llama.cpp" && mkdir -p "$work/llama.cpp" && tar -C "$work/llama.cpp" -xJf "$kit/llama-src.tar.xz"
  cuda=OFF
  [ "$backend" = cuda ] && cuda=ON
  CANOPY_CMAKE_ARGS="-DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCH:-90}" \
    bash "$root/native-bindings/scripts/build-natives-from-source.sh" "$work/llama.cpp" "$work/build" "$work/natives" $cuda OFF OFF \
    >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
  log "natives built: $(tr '\n' ' ' < "$natives/files.txt")"
  [ -z "${model_pid:-}" ] || wait "$model_pid"
  log "model: $(ls -la "$model")"
fi

# the CUDA backend links the CUDA runtime and cuBLAS dynamically
[ "$backend" != cuda ] || export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/cuda/lib64"
gpu info | tee "$out/info.txt"
if [ "$backend" = cuda ] && ! grep -q CUDA "$out/info.txt"; then
  log "ggml lists no CUDA device; the CUDA backend's libraries:"
  ldd "$natives"/libggml-cuda*.so 2>&1 | tee -a "$out/run.log"
  nvidia-smi 2>&1 | head -15 | tee -a "$out/run.log"
  exit 1
fi

if has check; then
  [ -d "$work/tests" ] || tar -C "$work" -xJf "$kit/tests.tar.xz"
  log "GPU tests"
  CANOPY_NATIVES_DIR="$natives" "$java" --enable-native-access=ALL-UNNAMED -cp "$work/tests/*:$work/canopy/lib/*" \
    dev.canopy.engine.testing.DeviceChecks dev.canopy.engine.canopy.GpuLayersTest dev.canopy.engine.kv.TieredKvOnGpuTest \
    dev.canopy.natives.llama.KvPlacementTest >"$out/gpu-tests.txt" 2>&1 \
    && log "GPU tests passed: $(grep -E 'tests (successful|skipped|failed)' "$out/gpu-tests.txt" | tr -s ' ' | tr '\n' ';')" \
    || log "GPU tests FAILED (the benchmarks still run; see gpu-tests.txt)"
fi

if has bench; then
  log "bench: ${BENCH_TOKENS:-8192,32768} tokens, every layer on the GPU, dhsa vs dense"
  gpu bench --model "$model" --gpu-layers -1 --attention dhsa --prompt-tokens "${BENCH_TOKENS:-8192,32768}" \
    --gen-tokens 16 --repeats 2 --threads "$threads" 2>&1 | tee "$out/bench.txt"
fi

if has benchkv; then
  log "bench-kv: ${KV_TOKENS:-65536} tokens, tiers' VRAM budget ${KV_GPU_MB:-512} MiB vs llama.cpp --no-kv-offload"
  gpu bench-kv --model "$model" --gpu-layers -1 --kv-gpu-mb "${KV_GPU_MB:-512}" --ram-fraction 0 --attend "${KV_ATTEND:-0}" \
    --tokens "${KV_TOKENS:-65536}" --prompts 1 --decode 32 --threads "$threads" 2>&1 | tee "$out/bench-kv.txt"
fi
log "done"
