#!/usr/bin/env python3
"""PyTorch CPU reference for acting, paired with the C# quick cases act_mlp64 and act_mlp64_batch8.

    /usr/bin/python3 benchmarks/torch_acting_reference.py [--threads 1]
A 4-64-64-2 ReLU Q-network: forward pass under no_grad plus argmax, for 1 and for 8 observations.
Prints one JSON object per line, as benchmarks/tensors_torch_reference.py does.
"""
import argparse, json, os, statistics, sys, time

_n = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _n
import torch
import torch.nn as nn


def timeit(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    meta = {"torch": torch.__version__, "threads": a.threads}
    q = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    one, eight = torch.randn(1, 4), torch.randn(8, 4)

    def act(x):
        with torch.no_grad():
            return q(x).argmax(1)

    print(json.dumps({"case": "act_mlp64", "median_us": timeit(lambda: act(one), 200, 2000), **meta}))
    print(json.dumps({"case": "act_mlp64_batch8", "median_us": timeit(lambda: act(eight), 200, 2000), **meta}))


if __name__ == "__main__":
    main()
