#!/usr/bin/env bash
# Start-up and JIT study on the end-to-end runs (docs/performance.md): each configuration trains CleanRL's PPO and DQN
# settings on CartPole-v1 (seed 0, until the last 20 episodes average 475) in a fresh process, REPS times, the
# configurations interleaved so that drifting machine load spreads over all of them.
#   bash benchmarks/jit_study.sh [OUTDIR] [REPS]        then: /usr/bin/python3 benchmarks/jit_summary.py OUTDIR
# RUNS (default "ppo dqn dqn-long") picks the runs: ppo (the ~2 s run), dqn (to 475), dqn-long (DQN for the whole 500k
# steps, --no-stop, the long-run steady state); CONFIGS (default: all below) picks the configurations by name.
# Configurations: the projects' settings (project: tiered compilation off), .NET's default tiering (tiered), and with
# tiering on: tiered PGO off, call counting without its 100 ms delay, both, quick JIT for loops off, quick JIT off,
# ReadyToRun (crossgen2) publish, the kernels' AggressiveOptimization attributes removed, an explicit warm-up run first.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-log/jit-$(date -u +%Y%m%dT%H%M%SZ)}"
reps="${2:-3}"
runs="${RUNS:-ppo dqn dqn-long}"
configs="${CONFIGS:-project tiered pgo-off no-call-count-delay pgo-off-no-delay quickjit-loops-off quickjit-off readytorun no-aggressive-opt warmup}"
mkdir -p "$out"
src="$PWD"
dotnet build benchmarks/Agents.Benchmarks -c Release -v q -nologo
dll=RlExperiments.Agents.Benchmarks.dll
jit="$src/benchmarks/Agents.Benchmarks/bin/Release/net10.0"
# ReadyToRun: the same project published with crossgen2 (the SDK restores microsoft.netcore.app.crossgen2.linux-x64).
case " $configs " in *" readytorun "*) [ -f "$out/bin-r2r/$dll" ] || dotnet publish benchmarks/Agents.Benchmarks -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v q -nologo -o "$out/bin-r2r" ;; esac
# The kernels without [MethodImpl(MethodImplOptions.AggressiveOptimization)]: a copy of the tree with the attribute lines removed.
if [[ " $configs " == *" no-aggressive-opt "* && ! -f "$out/bin-noao/$dll" ]]; then
  rm -rf "$out/tree-noao" && mkdir -p "$out/tree-noao"
  git -C "$src" archive HEAD | tar -x -C "$out/tree-noao"
  grep -rl "MethodImplOptions.AggressiveOptimization)\]" "$out/tree-noao/src" --include=*.cs | xargs sed -i '/^\s*\[MethodImpl(MethodImplOptions.AggressiveOptimization)\]\s*$/d'
  dotnet build "$out/tree-noao/benchmarks/Agents.Benchmarks" -c Release -v q -nologo -o "$out/bin-noao"
fi

run() {  # run CONFIG DIR [ENV=VALUE ...] [-- EXTRA ARGS]
  local config="$1" dir="$2"; shift 2
  case " $configs " in *" $config "*) ;; *) return 0 ;; esac
  local envs=() extra=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
    envs+=("$1"); shift
  done
  for r in $runs; do
    local args=(--e2e "${r%-long}" --seeds 1)
    [ "$r" = dqn-long ] && args+=(--no-stop)
    env "${envs[@]}" dotnet "$dir/$dll" "${args[@]}" "${extra[@]}" \
      | sed "s/^{/{\"config\":\"$config\",\"run\":\"$r\",/" >> "$out/jit.jsonl"
  done
}
uptime | tee "$out/uptime.txt"
for rep in $(seq 1 "$reps"); do
  # The projects turn tiered compilation off (Directory.Build.props); DOTNET_TieredCompilation=1 turns it back on, so
  # "tiered" is .NET's default and the tiered variants below change one knob of it.
  run project "$jit" X=1
  run tiered "$jit" DOTNET_TieredCompilation=1
  run pgo-off "$jit" DOTNET_TieredCompilation=1 DOTNET_TieredPGO=0
  run no-call-count-delay "$jit" DOTNET_TieredCompilation=1 DOTNET_TC_CallCountingDelayMs=0
  run pgo-off-no-delay "$jit" DOTNET_TieredCompilation=1 DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0
  run quickjit-loops-off "$jit" DOTNET_TieredCompilation=1 DOTNET_TC_QuickJitForLoops=0
  run quickjit-off "$jit" DOTNET_TieredCompilation=1 DOTNET_TC_QuickJit=0
  run readytorun "$out/bin-r2r" DOTNET_TieredCompilation=1
  run no-aggressive-opt "$out/bin-noao" DOTNET_TieredCompilation=1
  run warmup "$jit" DOTNET_TieredCompilation=1 -- --warmup
  uptime | tee -a "$out/uptime.txt"
done
rm -rf "$out/tree-noao"
/usr/bin/python3 benchmarks/jit_summary.py "$out"
