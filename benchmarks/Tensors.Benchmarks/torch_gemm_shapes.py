#!/usr/bin/env python3
"""PyTorch timings for every gemm_* case of the C# --quick harness (GemmBenchmarks.Shapes), same names.

benchmarks/tensors_torch_reference.py covers gemm_256 and gemm_128x64x64; this adds the RL-layer shapes
(forward x @ W.T, weight gradient dY.T @ X, tiny depths, narrow heads, acting) so every C# row has a partner:
    /usr/bin/python3 benchmarks/Tensors.Benchmarks/torch_gemm_shapes.py [--threads 1]
Names are gemm_{m}x{k}x{n}[_nt|_tn]: C[m x n] = op(A)[m x k] @ op(B)[k x n]; _nt means B is stored [n, k]
(torch: A @ B.t()), _tn means A is stored [k, m] (torch: A.t() @ B). Transposed views are free in torch too.
"""
import argparse, json, os, statistics, sys, time

_n = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = _n
import torch

CASES = [  # name, m, k, n, transA, transB  (keep in sync with GemmBenchmarks.Shapes)
    ("gemm_256", 256, 256, 256, False, False),
    ("gemm_128x64x64", 128, 64, 64, False, False),
    ("gemm_128x64x64_nt", 128, 64, 64, False, True),
    ("gemm_64x128x64_tn", 64, 128, 64, True, False),
    ("gemm_256_nt", 256, 256, 256, False, True),
    ("gemm_256_tn", 256, 256, 256, True, False),
    ("gemm_256x4x256_nt", 256, 4, 256, False, True),
    ("gemm_256x1x256", 256, 1, 256, False, False),
    ("gemm_256x3x256", 256, 3, 256, False, False),
    ("gemm_256x256x1_nt", 256, 256, 1, False, True),
    ("gemm_128x64x2_nt", 128, 64, 2, False, True),
    ("gemm_8x64x64_nt", 8, 64, 64, False, True),
    ("gemm_1x64x64_nt", 1, 64, 64, False, True),
    ("gemm_1x256x256_tn", 1, 256, 256, True, False),
    ("gemm_2x64x64_tn", 2, 64, 64, True, False),
]

def timeit(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6, min(samples) * 1e6

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    reps = 200  # as the C# --quick harness
    for name, m, k, n, ta, tb in CASES:
        A = torch.randn(k, m) if ta else torch.randn(m, k)
        B = torch.randn(n, k) if tb else torch.randn(k, n)
        opA = A.t() if ta else A
        opB = B.t() if tb else B
        heavy = m * n * k >= 256 ** 3
        med, mn = timeit(lambda: opA @ opB, 20 if heavy else 50, reps // 4 if heavy else reps)
        print(json.dumps({"case": name, "median_us": med, "gflops": 2 * m * n * k / med / 1e3, "min_us": mn,
                          "torch": torch.__version__, "threads": a.threads}))

if __name__ == "__main__":
    main()
