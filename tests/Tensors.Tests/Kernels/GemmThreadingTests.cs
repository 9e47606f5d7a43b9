using RlExperiments.Core;
using RlExperiments.Tensors.Kernels;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Tests.Kernels;

/// <summary>
/// Splitting a product across threads must not change a single bit: every element of C is computed by exactly one
/// thread with the same depth blocking and summation order, whatever the thread count. Checked on every explicit
/// path (Vector256 is the AVX2 path of machines without AVX-512; Vector512 runs emulated where the hardware lacks it),
/// on odd shapes with the size threshold lowered to 0 so that small products split too.
/// </summary>
public sealed class GemmThreadingTests
{
    public static TheoryData<string> ExplicitPaths() => new()
    {
        nameof(GemmPath.Scalar), nameof(GemmPath.Vector128), nameof(GemmPath.Vector256), nameof(GemmPath.Vector512), nameof(GemmPath.Auto),
    };

    private static readonly (int M, int N, int K)[] Shapes =
    [
        (5, 33, 17), (7, 300, 300), (37, 101, 53), (64, 64, 64), (129, 257, 65), (145, 40, 255), (13, 1025, 7), (6, 97, 513),
        (256, 256, 256),
    ];

    private static readonly (bool TA, bool TB)[] TransposeCombos = [(false, false), (false, true), (true, false), (true, true)];

    [Theory]
    [MemberData(nameof(ExplicitPaths))]
    public void Two_and_three_threads_give_the_same_bits_as_one(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        long splitBefore = GemmWorkers.SplitProducts;
        int seed = 0;
        try
        {
            foreach ((int m, int n, int k) in Shapes)
            {
                if (path is GemmPath.Scalar or GemmPath.Vector512 && (long)m * n * k > 3_000_000)
                {
                    continue; // scalar / possibly emulated: the odd shapes cover their edges
                }

                foreach ((bool tA, bool tB) in TransposeCombos)
                {
                    bool accumulate = (seed & 1) == 1;
                    float[] a = Random(m * k, seed * 3 + 1);
                    float[] b = Random(k * n, seed * 3 + 2);
                    float[] c0 = Random(m * n, seed * 3 + 3);
                    seed++;
                    float[] expected = Run(path, 1, tA, tB, m, n, k, a, b, c0, accumulate);
                    foreach (int threads in new[] { 2, 3 })
                    {
                        float[] actual = Run(path, threads, tA, tB, m, n, k, a, b, c0, accumulate);
                        int diff = FirstBitDifference(expected, actual);
                        diff.Should().Be(-1,
                            $"{path} {m}x{n}x{k} tA={tA} tB={tB} acc={accumulate} on {threads} threads must equal 1 thread bit for bit");
                    }
                }
            }
        }
        finally
        {
            GemmThreading.ClearOverride();
        }

        GemmWorkers.SplitProducts.Should().BeGreaterThan(splitBefore, "the split path must actually have run");
    }

    [Fact]
    public void Small_products_stay_on_the_calling_thread_with_the_default_threshold()
    {
        GemmThreading.DefaultMinMultiplyAdds.Should().BeGreaterThan(128L * 64 * 64, "DQN/PPO layer products are not worth a second thread");
        GemmThreading.DefaultMinMultiplyAdds.Should().BeGreaterThan(128L * 120 * 84, "CleanRL's DQN products were slower split in a real run");
        GemmThreading.DefaultMinMultiplyAdds.Should().BeLessThanOrEqualTo(256L * 256 * 256, "SAC's 256-wide products must use both cores");
    }

    [Fact]
    public void Thread_count_must_be_positive() =>
        FluentActions.Invoking(() => GemmThreading.ThreadCount = 0).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void A_256_wide_training_run_is_identical_on_one_and_two_threads()
    {
        float[] Train(int threads)
        {
            GemmThreading.OverrideForThisThread(threads, 0);
            try
            {
                var rng = new Rng(7);
                var net = new Mlp(4, [256, 256], 2, Activation.ReLU, rng);
                var opt = new Adam(net.Parameters(), 1e-3);
                var x = Tensor.Randn([256, 4], rng);
                var y = Tensor.Randn([256, 2], rng);
                for (int step = 0; step < 3; step++)
                {
                    using var scope = Tensor.Scope();
                    var loss = Functional.MseLoss(net.Forward(x), y);
                    opt.ZeroGrad();
                    loss.Backward();
                    opt.Step();
                }

                return net.Parameters().SelectMany(p => p.ToArray()).ToArray();
            }
            finally
            {
                GemmThreading.ClearOverride();
            }
        }

        FirstBitDifference(Train(1), Train(2)).Should().Be(-1);
    }

    [Fact]
    public void Split_products_allocate_nothing_in_steady_state()
    {
        GemmThreading.OverrideForThisThread(2, 0);
        try
        {
            float[] a = Random(128 * 128, 1), b = Random(128 * 128, 2), c = new float[128 * 128];
            for (int i = 0; i < 20; i++)
            {
                Gemm.Multiply(false, true, 128, 128, 128, a, b, c, accumulate: false);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                Gemm.Multiply(false, true, 128, 128, 128, a, b, c, accumulate: false);
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }

    [Fact]
    public void Waking_a_blocked_worker_allocates_nothing()
    {
        // Products far apart: the worker has stopped spinning and blocked, so every call goes through the wake-up path.
        GemmThreading.OverrideForThisThread(2, 0);
        try
        {
            float[] a = Random(64 * 64, 1), b = Random(64 * 64, 2), c = new float[64 * 64];
            for (int i = 0; i < 5; i++)
            {
                Gemm.Multiply(false, false, 64, 64, 64, a, b, c, accumulate: false);
                Thread.Sleep(2);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                Gemm.Multiply(false, false, 64, 64, 64, a, b, c, accumulate: false);
                Thread.Sleep(2);
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }

    private static float[] Run(GemmPath path, int threads, bool tA, bool tB, int m, int n, int k, float[] a, float[] b, float[] c0, bool accumulate)
    {
        GemmThreading.OverrideForThisThread(threads, 0);
        var c = (float[])c0.Clone();
        Gemm.Multiply(path, tA, tB, m, n, k, a, b, c, accumulate);
        return c;
    }

    private static int FirstBitDifference(float[] x, float[] y)
    {
        x.Length.Should().Be(y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(x[i]) != BitConverter.SingleToInt32Bits(y[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static float[] Random(int count, int seed)
    {
        var rng = new Rng((ulong)seed + 1);
        var v = new float[count];
        rng.FillUniform(v, -1f, 1f);
        return v;
    }
}
