#!/usr/bin/env bash
# Runs the speed comparisons of issue 24 (decision 0125) and prints one Markdown table of ratios,
# each from one `canopy bench`/`bench-batch` run (both lanes measured in the same process, so a
# ratio survives a busy machine better than an absolute figure; still run it on an idle machine).
#
# Usage: scripts/speed-table.sh [quick|full] [WORK_DIR]
#   quick  4K prompts on the passkey model (F16, Q8_0, Q4_K_M; 1 and 2 threads), DHSA at 16K on
#          2 threads, the 1B shape at 512 tokens, bench-batch's two mixes (about 15 min idle, 2 cores)
#   full   adds 16K and 32K dense rows, DHSA at 32K and the 1B shape at 4K (about an hour or more)
#   smoke  tiny sizes, a minute or two: checks that the script and its parsing work
# Needs python3 (reads the --json reports). Writes models and reports under WORK_DIR
# (default: a temporary folder); prints the commands it runs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tier=${1:-quick}
work=${2:-$(mktemp -d -t canopy-speed-XXXX)}
mkdir -p "$work"
canopy="$here/canopy"
pk="$here/../shared/models/passkey-llama-6l-384.gguf"
[ -f "$pk" ] || { echo "speed-table: no passkey model at $pk" >&2; exit 1; }
rows="$work/rows.tsv"; : > "$rows"

run() {   # run NAME -- canopy args...: keeps the report (bench: its --json line) as NAME.out
  local name=$1; shift
  local json=(--json); [ "$1" = bench-batch ] && json=()
  echo "+ canopy $*" >&2
  "$canopy" "$@" "${json[@]}" > "$work/$name.out" 2> "$work/$name.err" || { echo "speed-table: $name failed (see $work/$name.err)" >&2; return 0; }
  printf '%s\t%s\n' "$name" "canopy $*" >> "$rows"
}

for t in Q8_0 Q4_K_M; do
  [ -f "$work/pk-$t.gguf" ] || "$canopy" quantize --model "$pk" --type "$t" --out "$work/pk-$t.gguf" >&2
done
case "$tier" in quick|full|smoke) ;; *) echo "speed-table: quick, full or smoke, not $tier" >&2; exit 2 ;; esac
lengths=4096; [ "$tier" = full ] && lengths=4096,16384,32768; [ "$tier" = smoke ] && lengths=512
for threads in 1 2; do
  for m in F16 Q8_0 Q4_K_M; do
    f="$pk"; [ "$m" = F16 ] || f="$work/pk-$m.gguf"
    run "dense-pk-$m-t$threads" bench --model "$f" --prompt-tokens "$lengths" --gen-tokens 64 --repeats 2 --threads "$threads"
  done
done
dhsa=16384; [ "$tier" = full ] && dhsa=16384,32768; [ "$tier" = smoke ] && dhsa=2048
run "dhsa-pk-t2" bench --model "$pk" --prompt-tokens "$dhsa" --gen-tokens 16 --repeats 1 --threads 2 --attention dhsa
run "kvq8-pk-t2" bench --model "$pk" --prompt-tokens 4096 --gen-tokens 64 --repeats 2 --threads 2 --kv-type q8_0
b1=512; [ "$tier" = full ] && b1=512,4096
shape=1b; [ "$tier" = smoke ] && shape=small
for m in F16 Q8_0 Q4_K_M; do
  [ -f "$work/r1b-$m.gguf" ] || "$canopy" random-model --shape "$shape" --type "$m" --out "$work/r1b-$m.gguf" >&2
  run "dense-1b-$m-t2" bench --model "$work/r1b-$m.gguf" --prompt-tokens "$b1" --gen-tokens 32 --repeats 1 --threads 2
done
if [ "$tier" = smoke ]; then
  run "batch-short" bench-batch --model "$pk" --prompts 4 --prompt-tokens 64 --gen-tokens 8 --threads 2 --repeats 1
else
  run "batch-short" bench-batch --model "$pk" --prompts 32 --prompt-tokens 256 --gen-tokens 64 --threads 2
  run "batch-mix" bench-batch --model "$pk" --prompts 4 --prompt-tokens 512,1024,2048,4096 --gen-tokens 32 --threads 2
fi

python3 - "$work" "$rows" <<'PY'
import json, sys, os
work, rows = sys.argv[1], sys.argv[2]
print("| run | prompt | prefill vs llama.cpp | decode vs llama.cpp | other |")
print("|---|---|---|---|---|")
for line in open(rows):
    name, cmd = line.rstrip("\n").split("\t", 1)
    text = open(os.path.join(work, name + ".out")).read().strip().splitlines()
    if cmd.startswith("canopy bench-batch"):   # its table: the batch row's "vs one-by-one" ratios
        batch = next((l.split() for l in text if l.startswith("batch ")), None)
        same = next((l for l in text if "greedy tokens" in l), "")
        print(f"| {name} | | | | batch vs one by one: wall {batch[3]}, cpu {batch[5]}; {same.split('; ')[-1]} |" if batch else f"| {name} | | | | no report |")
        continue
    try:
        r = json.loads(text[-1])
    except Exception as e:
        print(f"| {name} | | | | no report ({e}) |"); continue
    for x in r["results"]:
        other = []
        if "sparse_prefill_ratio" in x:
            other.append(f"{x['attention']}: prefill {x['sparse_prefill_ratio']:.2f}x, decode {x['sparse_decode_ratio']:.2f}x")
        print(f"| {name} | {x['prompt_tokens']} | {x['prefill_ratio']:.2f}x | {x['decode_ratio']:.2f}x | {'; '.join(other)} |")
print()
print("Commands:")
for line in open(rows):
    print("    " + line.rstrip("\n").split("\t", 1)[1])
PY
