#!/bin/sh
# One command: our samplers on the suite, Optuna's (only for a version whose output is missing: it does not change with
# our code), and the markdown comparison against every Optuna version present. Rerun after a sampler change:
#   sh benchmarks/samplers_compare.sh
#   SEEDS=100 (our seeds per objective and sampler), OPTUNA_SEEDS=40 (Optuna's), OUT=benchmarks/results/samplers.
#   OPTUNA_PYTHONPATH=/tmp/optuna-4.9.0:/tmp/cmaes-0.13.1 also runs that Optuna source tree (see
#   benchmarks/Samplers.Benchmarks/README.md) into optuna-<version>.jsonl, next to Debian's optuna-3.1.0.jsonl.
set -e
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-100}
OPTUNA_SEEDS=${OPTUNA_SEEDS:-40}
OUT=${OUT:-benchmarks/results/samplers}
mkdir -p "$OUT"
dotnet build -c Release benchmarks/Samplers.Benchmarks >/dev/null
BIN=benchmarks/Samplers.Benchmarks/bin/Release/net10.0/RlExperiments.Samplers.Benchmarks.dll
dotnet "$BIN" run --seeds "$SEEDS" --samplers tpe,tpe-mvg,random,cmaes > "$OUT/rlx.jsonl.tmp" && mv "$OUT/rlx.jsonl.tmp" "$OUT/rlx.jsonl"
reference() {  # $1: PYTHONPATH ("" for Debian's Optuna)
  version=$(PYTHONPATH="$1" /usr/bin/python3 -c 'import optuna; print(optuna.__version__)')
  if [ ! -s "$OUT/optuna-$version.jsonl" ]; then
    PYTHONPATH="$1" /usr/bin/python3 benchmarks/samplers_optuna_reference.py --seeds "$OPTUNA_SEEDS" > "$OUT/optuna-$version.jsonl.tmp" \
      && mv "$OUT/optuna-$version.jsonl.tmp" "$OUT/optuna-$version.jsonl"
  fi
}
reference ""
[ -n "$OPTUNA_PYTHONPATH" ] && reference "$OPTUNA_PYTHONPATH"
dotnet "$BIN" compare "$OUT/rlx.jsonl" "$OUT"/optuna-*.jsonl > "$OUT/comparison.md.tmp" && mv "$OUT/comparison.md.tmp" "$OUT/comparison.md"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/comparison.md"
cat "$OUT/comparison.md"
