using System.Globalization;

namespace RlExperiments.Tensors;

/// <summary>
/// How many threads the matrix products of the tensor engine may use, and from what size on. Large products
/// (SAC's 256-wide layers) are split into column slices (row slices for weight gradients, <c>A^T·B</c>) computed on
/// persistent worker threads; small ones (64-wide
/// DQN/PPO layers) stay on the calling thread, where waking a worker would cost more than it saves. The result is
/// bit-identical whatever the thread count: each element of C is computed by one thread with the same summation order.
/// </summary>
public static class GemmThreading
{
    /// <summary>The environment variable read once at start-up for the default <see cref="ThreadCount"/>.</summary>
    public const string EnvironmentVariable = "RLX_GEMM_THREADS";

    /// <summary>
    /// The default <see cref="MinMultiplyAdds"/>: m·n·k at or above which a product is split, 4 M. In isolation (quick
    /// cases <c>gemm_threads{1,2}_*</c>, back-to-back products keeping the workers awake) a second thread already paid
    /// from 1 M (256 × 64 × 64: 1.77×; 128³ and up about 1.9×). In a real run it does not: CleanRL's DQN on CartPole
    /// (one update per 10 environment steps, products of 128 × 120 × 84 = 1.29 M) took 169 µs per update split and 136
    /// µs on one thread, on a quiet 2-core machine, because the workers have gone to sleep between updates and waking
    /// them costs more than half a product this small saves. 4 M keeps every 64- to 120-wide DQN/PPO product on the
    /// calling thread and still splits SAC's and TD3's 256- to 400-wide ones (16.7 M and up).
    /// </summary>
    public const long DefaultMinMultiplyAdds = 1L << 22;

    private static int s_threadCount = DefaultThreadCount();
    private static long s_minMultiplyAdds = DefaultMinMultiplyAdds;

    /// <summary>
    /// Threads a large product may use, the calling thread included (1 = never split). Defaults to
    /// <see cref="EnvironmentVariable"/> when it holds a positive integer, else to the processor count.
    /// </summary>
    public static int ThreadCount
    {
        get => t_overridden ? t_threadCountOverride : Volatile.Read(ref s_threadCount);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Volatile.Write(ref s_threadCount, value);
        }
    }

    /// <summary>Products with fewer than this many multiply-adds (m·n·k) run on the calling thread only.</summary>
    public static long MinMultiplyAdds
    {
        get => t_overridden ? t_minMultiplyAddsOverride : Volatile.Read(ref s_minMultiplyAdds);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref s_minMultiplyAdds, value);
        }
    }

    // Per-thread overrides for tests, which run in parallel and must not change each other's settings.
    [ThreadStatic] private static int t_threadCountOverride;
    [ThreadStatic] private static long t_minMultiplyAddsOverride;
    [ThreadStatic] private static bool t_overridden;

    /// <summary>
    /// Overrides both settings for products started on the calling thread only; tests use it to compare thread
    /// counts without affecting tests running beside them.
    /// </summary>
    internal static void OverrideForThisThread(int threadCount, long minMultiplyAdds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadCount);
        ArgumentOutOfRangeException.ThrowIfNegative(minMultiplyAdds);
        t_overridden = true;
        t_threadCountOverride = threadCount;
        t_minMultiplyAddsOverride = minMultiplyAdds;
    }

    /// <summary>Removes the overrides of <see cref="OverrideForThisThread"/>.</summary>
    internal static void ClearOverride() => t_overridden = false;

    private static int DefaultThreadCount()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        return Math.Max(1, Environment.ProcessorCount);
    }
}
