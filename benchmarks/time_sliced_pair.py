#!/usr/bin/env python3
"""Times two benchmark commands on the same machine conditions by running them time-sliced.

Both processes start at once; only one runs at any moment (the other is stopped with SIGSTOP), and they swap every
--slice seconds until both have exited. Each one's active time (the sum of its slices) is its wall time under the
conditions both saw. On a virtual machine whose speed drifts by 20% or more within minutes (this one's does: the
host's load), two runs one after the other measure the drift as much as the programs; slices of a second interleave
them finely enough that the drift cancels from the ratio. The cost of a swap (cold caches for a few milliseconds) is
paid by both alike.

The commands' own printed wall times include the time they spent stopped: use the active times printed here.

    python3 benchmarks/time_sliced_pair.py \\
        "dotnet <build A>/benchmarks/Agents.Benchmarks/bin/Release/net10.0/RlExperiments.Agents.Benchmarks.dll --seeds 1 sac_pendulum" \\
        "dotnet <build B>/benchmarks/Agents.Benchmarks/bin/Release/net10.0/RlExperiments.Agents.Benchmarks.dll --seeds 1 sac_pendulum"

Prints one JSON line: both commands' active seconds, their exit codes, the ratio A/B, the JSON fields final_return and
update_ms of each command's output when present, and the load average at the start.
"""
import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="first command (quoted)")
    parser.add_argument("b", help="second command (quoted)")
    parser.add_argument("--slice", type=float, default=1.0, help="seconds each process runs before the other resumes (default 1)")
    args = parser.parse_args()
    if not args.slice > 0:
        parser.error(f"--slice must be positive; got {args.slice}")

    load = os.getloadavg()[0]
    procs = [subprocess.Popen(shlex.split(c), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for c in (args.a, args.b)]
    for p in procs:
        os.kill(p.pid, signal.SIGSTOP)
    active = [0.0, 0.0]
    current = 0
    try:
        while any(p.returncode is None for p in procs):
            p = procs[current]
            if p.returncode is None:
                os.kill(p.pid, signal.SIGCONT)
                start = time.monotonic()
                try:
                    p.wait(timeout=args.slice)
                except subprocess.TimeoutExpired:
                    os.kill(p.pid, signal.SIGSTOP)
                active[current] += time.monotonic() - start
            current = 1 - current
    finally:
        for p in procs:
            if p.returncode is None:
                os.kill(p.pid, signal.SIGCONT)
                p.kill()

    result = {"load_avg_1m": round(load, 2)}
    for name, p, seconds in zip("ab", procs, active):
        fields = {}
        for line in p.stdout.read().splitlines():
            if line.startswith("{"):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                for key in ("final_return", "update_ms"):
                    if key in record:
                        fields[key] = record[key]
        result[name] = {"active_s": round(seconds, 2), "exit_code": p.returncode, **fields}
    result["ratio_a_over_b"] = round(active[0] / active[1], 3) if active[1] > 0 else None
    print(json.dumps(result))
    return 0 if all(p.returncode == 0 for p in procs) else 1


if __name__ == "__main__":
    sys.exit(main())
