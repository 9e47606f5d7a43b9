#!/bin/sh
# One command: our samplers on the suite, Optuna's (only when its output is missing: it does not change with our code),
# and the markdown comparison. Rerun after a sampler change:  sh benchmarks/samplers_compare.sh
#   SEEDS=100 (seeds per objective and sampler), OUT=benchmarks/results/samplers (where the JSON lines and table go).
set -e
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-100}
OUT=${OUT:-benchmarks/results/samplers}
mkdir -p "$OUT"
dotnet build -c Release benchmarks/Samplers.Benchmarks >/dev/null
BIN=benchmarks/Samplers.Benchmarks/bin/Release/net10.0/RlExperiments.Samplers.Benchmarks.dll
dotnet "$BIN" run --seeds "$SEEDS" > "$OUT/rlx.jsonl.tmp" && mv "$OUT/rlx.jsonl.tmp" "$OUT/rlx.jsonl"
if [ ! -s "$OUT/optuna.jsonl" ]; then
  /usr/bin/python3 benchmarks/samplers_optuna_reference.py --seeds "$SEEDS" > "$OUT/optuna.jsonl.tmp" && mv "$OUT/optuna.jsonl.tmp" "$OUT/optuna.jsonl"
fi
dotnet "$BIN" compare "$OUT/rlx.jsonl" "$OUT/optuna.jsonl" > "$OUT/comparison.md.tmp" && mv "$OUT/comparison.md.tmp" "$OUT/comparison.md"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/comparison.md"
cat "$OUT/comparison.md"
