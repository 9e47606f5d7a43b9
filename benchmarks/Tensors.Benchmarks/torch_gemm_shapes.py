#!/usr/bin/env python3
"""PyTorch timings for every gemm_* case of the C# --quick harness (GemmBenchmarks.Shapes), same names.

benchmarks/tensors_torch_reference.py covers gemm_256 and gemm_128x64x64; this adds the RL-layer shapes
(forward x @ W.T, weight gradient dY.T @ X, tiny depths, narrow heads, acting) so every C# row has a partner:
    /usr/bin/python3 benchmarks/Tensors.Benchmarks/torch_gemm_shapes.py [--threads 1] [--backend torch|numpy]
--backend numpy times NumPy's matmul instead (on Debian the system BLAS, OpenBLAS with libopenblas0-pthread), a second
reference for what a tuned BLAS does at these small shapes.
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
    ("gemm_128x4x64_nt", 128, 4, 64, False, True),
    ("gemm_64x128x4_tn", 64, 128, 4, True, False),
    ("gemm_128x2x64", 128, 2, 64, False, False),
    ("gemm_2x128x64_tn", 2, 128, 64, True, False),
    ("gemm_128x64x64_nn", 128, 64, 64, False, False),
    # CleanRL's DQN Q-network 4-120-84-2, batch 128: the 11 products of one update (2 forwards, 1 backward)
    ("gemm_128x4x120_nt", 128, 4, 120, False, True),
    ("gemm_128x120x84_nt", 128, 120, 84, False, True),
    ("gemm_128x84x2_nt", 128, 84, 2, False, True),
    ("gemm_2x128x84_tn", 2, 128, 84, True, False),
    ("gemm_128x2x84", 128, 2, 84, False, False),
    ("gemm_84x128x120_tn", 84, 128, 120, True, False),
    ("gemm_128x84x120", 128, 84, 120, False, False),
    ("gemm_120x128x4_tn", 120, 128, 4, True, False),
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
    ap.add_argument("--backend", choices=("torch", "numpy"), default="torch")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    reps = 200  # as the C# --quick harness
    for name, m, k, n, ta, tb in CASES:
        A = torch.randn(k, m) if ta else torch.randn(m, k)
        B = torch.randn(n, k) if tb else torch.randn(k, n)
        opA = A.t() if ta else A
        opB = B.t() if tb else B
        if a.backend == "numpy":
            import numpy as np
            opA, opB = np.asarray(A.numpy()).T if ta else A.numpy(), np.asarray(B.numpy()).T if tb else B.numpy()
            out = np.empty((m, n), dtype=np.float32)
            fn, version = (lambda: np.matmul(opA, opB, out=out)), "numpy " + np.__version__
        else:
            fn, version = (lambda: opA @ opB), "torch " + torch.__version__
        heavy = m * n * k >= 256 ** 3
        med, mn = timeit(fn, 20 if heavy else 50, reps // 4 if heavy else reps)
        print(json.dumps({"case": name, "median_us": med, "gflops": 2 * m * n * k / med / 1e3, "min_us": mn,
                          "backend": version, "threads": a.threads}))

if __name__ == "__main__":
    main()
