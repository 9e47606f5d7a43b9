#!/usr/bin/env python3
"""Summarises benchmarks/jit_study.sh: per run (ppo, dqn, dqn-long) and configuration, the medians over repetitions of the run's wall
and CPU time, the whole process's wall and CPU time (start-up and JIT threads included) and the environment steps.

    /usr/bin/python3 benchmarks/jit_summary.py OUTDIR
"""
import json, os, statistics, sys

rows = {}
with open(os.path.join(sys.argv[1], "jit.jsonl")) as f:
    for line in f:
        if line.startswith("{"):
            r = json.loads(line)
            rows.setdefault((r.get("run", r["algo"]), r["config"]), []).append(r)
cols = ["wall_s", "cpu_s", "process_s", "process_cpu_s", "env_steps", "update_us", "act_us", "load_avg_1m"]
print("| run | config | runs | " + " | ".join(cols) + " |")
print("|" + " --- |" * (len(cols) + 3))
for (run, config), rs in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] not in ("project", "default"), kv[0][1])):
    med = lambda c: statistics.median(r[c] for r in rs if r.get(c) is not None)
    print(f"| {run} | {config} | {len(rs)} | " + " | ".join(f"{med(c):g}" for c in cols) + " |")
