#!/usr/bin/env bash
# End-to-end comparison with PyTorch (issue: twenty times PyTorch end to end): CleanRL's DQN and PPO settings on
# CartPole-v1 until the last 20 training episodes average 475, ours then PyTorch's, back to back, 3 seeds each.
#   bash benchmarks/e2e_vs_torch.sh [OUTDIR]        (needs the .NET SDK and Debian's python3-torch)
#   DQN_HIDDEN=64,64 bash benchmarks/e2e_vs_torch.sh [OUTDIR]   DQN with 64-64 hidden layers instead of dqn.py's 120-84
# Writes OUTDIR/{check,rlx,torch}.jsonl and prints the summary table. Run it on a quiet machine: with other load the
# wall times are upper bounds (each JSON line carries the one-minute load average).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-log/e2e-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
dotnet build benchmarks/Agents.Benchmarks -c Release -v q -nologo
bench=benchmarks/Agents.Benchmarks/bin/Release/net10.0/RlExperiments.Agents.Benchmarks.dll
uptime | tee "$out/uptime.txt"
dotnet "$bench" --trace-cartpole > "$out/cartpole-trace.jsonl"
/usr/bin/python3 benchmarks/cleanrl_torch_reference.py --check "$out/cartpole-trace.jsonl" | tee "$out/check.jsonl"
hidden="${DQN_HIDDEN:-120,84}"   # DQN's hidden widths: dqn.py's 120,84 unless DQN_HIDDEN says otherwise (e.g. 64,64)
for algo in dqn ppo; do dotnet "$bench" --e2e "$algo" --seeds 3 --dqn-hidden "$hidden" | tee -a "$out/rlx.jsonl"; done
for algo in dqn ppo; do /usr/bin/python3 benchmarks/cleanrl_torch_reference.py --e2e "$algo" --seeds 3 --threads 1 --dqn-hidden "$hidden" | tee -a "$out/torch.jsonl"; done
uptime | tee -a "$out/uptime.txt"
/usr/bin/python3 benchmarks/e2e_summary.py "$out/rlx.jsonl" "$out/torch.jsonl" | tee "$out/summary.md"
