#!/usr/bin/env python3
"""Summarises the JSON lines of `--e2e` runs (ours: impl "rlx", benchmarks/cleanrl_torch_reference.py: impl "torch"):
one row per implementation and algorithm with the medians over seeds, and the PyTorch/ours ratios of wall and CPU time.

    /usr/bin/python3 benchmarks/e2e_summary.py RESULTS.jsonl [MORE.jsonl ...]
"""
import json, statistics, sys

rows = {}
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "impl" in r:
                rows.setdefault((r["impl"], r["algo"]), []).append(r)

def med(rs, key):
    vals = [r[key] for r in rs if r.get(key) is not None]
    return statistics.median(vals) if vals else float("nan")

cols = ["env_steps", "wall_s", "cpu_s", "acting_s", "updating_s", "env_s", "other_s", "update_us", "act_us", "load_avg_1m"]
print("| impl | algo | seeds reached | " + " | ".join(cols) + " |")
print("|" + " --- |" * (len(cols) + 3))
for (impl, algo), rs in sorted(rows.items()):
    reached = sum(1 for r in rs if r["reached"])
    print(f"| {impl} | {algo} | {reached}/{len(rs)} | " + " | ".join(f"{med(rs, c):g}" for c in cols) + " |")
for algo in ("dqn", "ppo"):
    ours, theirs = rows.get(("rlx", algo)), rows.get(("torch", algo))
    if ours and theirs:
        print(f"{algo}: PyTorch/ours median wall {med(theirs, 'wall_s') / med(ours, 'wall_s'):.1f}x, "
              f"CPU {med(theirs, 'cpu_s') / med(ours, 'cpu_s'):.1f}x, "
              f"env steps per CPU second {(med(ours, 'env_steps') / med(ours, 'cpu_s')) / (med(theirs, 'env_steps') / med(theirs, 'cpu_s')):.1f}x")
