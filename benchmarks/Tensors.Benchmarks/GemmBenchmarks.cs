using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// One matrix-product shape: <c>C[m×n] = op(A)·op(B)</c> with operands in 64-byte-aligned native memory
/// (as PyTorch allocates them), filled with a fixed pseudo-random pattern. Names are <c>gemm_{m}x{k}x{n}[_nt|_tn]</c>
/// except the two PyTorch reference cases, which keep the names of benchmarks/tensors_torch_reference.py.
/// </summary>
public sealed unsafe class GemmShape : IDisposable
{
    private float* _a;
    private float* _b;
    private float* _c;

    public GemmShape(string name, int m, int k, int n, bool transA = false, bool transB = false)
    {
        (Name, M, K, N, TransA, TransB) = (name, m, k, n, transA, transB);
    }

    public string Name { get; }

    public int M { get; }

    public int K { get; }

    public int N { get; }

    public bool TransA { get; }

    public bool TransB { get; }

    public double Flops => 2.0 * M * N * K;

    /// <summary>Allocates and fills the operands (idempotent).</summary>
    public GemmShape Allocate()
    {
        if (_a == null)
        {
            _a = Fill((nint)M * K, 1);
            _b = Fill((nint)K * N, 2);
            _c = Fill((nint)M * N, 3);
        }

        return this;
    }

    /// <summary>One product, overwriting C.</summary>
    public void Run() => Gemm.Multiply(TransA, TransB, M, N, K,
        _a, TransA ? M : K, _b, TransB ? K : N, _c, N, accumulate: false);

    public void Dispose()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_c);
        _a = _b = _c = null;
    }

    public override string ToString() => Name;

    private static float* Fill(nint count, uint seed)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(count, 1) * sizeof(float), 64);
        uint s = seed * 2654435761u;
        for (nint i = 0; i < count; i++)
        {
            s = s * 1664525u + 1013904223u;
            p[i] = (s >> 8) * (2f / (1 << 24)) - 1f;
        }

        return p;
    }
}

/// <summary>Matrix-product benchmarks: BenchmarkDotNet class plus the <c>--quick</c> cases.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class GemmBenchmarks
{
    /// <summary>
    /// The shapes: the two PyTorch reference cases, then the products an RL update actually runs
    /// (Linear weights are stored [out×in], so forward is X·W^T (_nt), input gradient dY·W, weight gradient dY^T·X (_tn)).
    /// </summary>
    public static IEnumerable<GemmShape> Shapes() =>
    [
        new("gemm_256", 256, 256, 256),                            // torch: A @ B, 256^3
        new("gemm_128x64x64", 128, 64, 64),                        // torch: X[128×64] @ W[64×64]
        new("gemm_128x64x64_nt", 128, 64, 64, transB: true),       // Linear 64→64 forward, batch 128
        new("gemm_64x128x64_tn", 64, 128, 64, transA: true),       // its weight gradient dY^T·X
        new("gemm_256_nt", 256, 256, 256, transB: true),           // Linear 256→256 forward, batch 256 (SAC)
        new("gemm_256_tn", 256, 256, 256, transA: true),           // its weight gradient
        new("gemm_256x4x256_nt", 256, 4, 256, transB: true),       // first layer, 4 observations → 256
        new("gemm_256x1x256", 256, 1, 256),                        // k = 1
        new("gemm_256x3x256", 256, 3, 256),                        // k = 3
        new("gemm_256x256x1_nt", 256, 256, 1, transB: true),       // value head 256 → 1
        new("gemm_128x64x2_nt", 128, 64, 2, transB: true),         // policy head 64 → 2
        new("gemm_8x64x64_nt", 8, 64, 64, transB: true),           // acting on 8 environments
        new("gemm_1x64x64_nt", 1, 64, 64, transB: true),           // acting on 1 environment
        new("gemm_1x256x256_tn", 1, 256, 256, transA: true),       // value-head weight gradient, batch 256 (SAC)
        new("gemm_2x64x64_tn", 2, 64, 64, transA: true),           // policy-head weight gradient, batch 64 (PPO)
        new("gemm_128x4x64_nt", 128, 4, 64, transB: true),         // first layer 4→64 forward, batch 128 (DQN)
        new("gemm_64x128x4_tn", 64, 128, 4, transA: true),         // its weight gradient dY^T·X
        new("gemm_128x2x64", 128, 2, 64),                          // Q-head input gradient dY·W, 2 actions
        new("gemm_2x128x64_tn", 2, 128, 64, transA: true),         // Q-head weight gradient, batch 128
        new("gemm_128x64x64_nn", 128, 64, 64),                     // hidden-layer input gradient dY·W
        // CleanRL's DQN Q-network 4-120-84-2, batch 128 (widths that are not multiples of the vector width).
        new("gemm_128x4x120_nt", 128, 4, 120, transB: true),       // layer 1 forward
        new("gemm_128x120x84_nt", 128, 120, 84, transB: true),     // layer 2 forward
        new("gemm_128x84x2_nt", 128, 84, 2, transB: true),         // Q-head forward
        new("gemm_2x128x84_tn", 2, 128, 84, transA: true),         // Q-head weight gradient
        new("gemm_128x2x84", 128, 2, 84),                          // Q-head input gradient
        new("gemm_84x128x120_tn", 84, 128, 120, transA: true),     // layer 2 weight gradient
        new("gemm_128x84x120", 128, 84, 120),                      // layer 2 input gradient
        new("gemm_120x128x4_tn", 120, 128, 4, transA: true),       // layer 1 weight gradient
    ];

    /// <summary>The quick-harness registrations (warm-up/reps as benchmarks/tensors_torch_reference.py: heavy 256^3 cases use reps/4).</summary>
    public static IEnumerable<QuickCase> QuickCases() =>
        Shapes().Select(s =>
        {
            s.Allocate();
            bool heavy = s.Flops >= 2.0 * 256 * 256 * 256;
            return new QuickCase(s.Name, s.Run, s.Flops, Warmup: heavy ? 20 : 50, Reps: heavy ? 50 : 200);
        });

    /// <summary>
    /// Shapes around the threading threshold (<see cref="GemmThreading.MinMultiplyAdds"/>), each on 1 and 2 threads with
    /// the threshold at 0 so that every one of them splits on 2: the smallest shape where 2 threads win sets the default.
    /// Named <c>gemm_threads{t}_{m}x{k}x{n}[_nt|_tn]</c>.
    /// </summary>
    public static IEnumerable<QuickCase> ThreadingQuickCases()
    {
        (int M, int K, int N, bool TA, bool TB)[] shapes =
        [
            (128, 64, 64, false, true), (64, 128, 64, true, false), (128, 128, 64, false, true), (256, 64, 64, false, true),
            (128, 128, 128, false, true), (128, 128, 128, true, false), (128, 128, 128, false, false),
            (256, 128, 128, false, true), (256, 256, 128, false, true), (256, 256, 256, false, true), (256, 256, 256, true, false),
            (256, 256, 256, false, false),
        ];
        foreach (var (m, k, n, ta, tb) in shapes)
        {
            var shape = new GemmShape($"{m}x{k}x{n}{(ta ? "_tn" : tb ? "_nt" : "")}", m, k, n, ta, tb).Allocate();
            foreach (int threads in new[] { 1, 2 })
            {
                void Run()
                {
                    long saved = GemmThreading.MinMultiplyAdds;
                    GemmThreading.MinMultiplyAdds = 0;
                    shape.Run();
                    GemmThreading.MinMultiplyAdds = saved;
                }

                bool heavy = shape.Flops >= 2.0 * 256 * 256 * 128;
                yield return new QuickCase($"gemm_threads{threads}_{shape.Name}", Run, shape.Flops, Warmup: heavy ? 20 : 50,
                    Reps: heavy ? 100 : 400, Threads: threads);
            }
        }

        // Two independent 256³ products at once, one per core (TensorParallel.Run, as SAC's and TD3's twin critics run):
        // against gemm_threads1 and gemm_threads2 of the same shape, what a product costs each core when both compute.
        var pair = new ProductPair(new GemmShape("pair_a", 256, 256, 256).Allocate(), new GemmShape("pair_b", 256, 256, 256).Allocate());
        yield return new QuickCase("gemm_pair_256x256x256", () => TensorParallel.Run(pair, 2), 2 * pair.First.Flops, Warmup: 20,
            Reps: 100, Threads: 2);
    }

    private sealed class ProductPair(GemmShape first, GemmShape second) : IParallelWork
    {
        public GemmShape First => first;

        public void Run(int part) => (part == 0 ? first : second).Run();
    }

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [GlobalSetup]
    public void Setup() => Shape.Allocate();

    [GlobalCleanup]
    public void Cleanup() => Shape.Dispose();

    [Benchmark]
    public void Multiply() => Shape.Run();
}
