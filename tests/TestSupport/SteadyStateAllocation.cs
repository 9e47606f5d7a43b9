namespace RlExperiments.Testing;

/// <summary>
/// Steady-state allocation for tests that assert "nothing is allocated per step". Tests run with tiered compilation
/// (the programs users run do not, see Directory.Build.props): a method starts as quickly compiled code, which may
/// heap-allocate objects that optimised code keeps on the stack, until the runtime swaps in the optimised code, compiled
/// on a background thread, at a moment no warm-up controls. A measured round that overlaps the swap allocates a few
/// kilobytes once; an allocation per step or per call shows in every round. So the steady state is the least a few
/// rounds allocate.
/// </summary>
internal static class SteadyStateAllocation
{
    /// <summary>
    /// Runs <paramref name="round"/> until one round allocates nothing on this thread, at most <paramref name="rounds"/>
    /// times, and returns the fewest bytes a round allocated.
    /// </summary>
    public static long LeastBytes(Action round, int rounds = 5) =>
        LeastBytes(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }, rounds);

    /// <summary>
    /// As <see cref="LeastBytes(Action, int)"/>, for a round that measures its own allocation (around the part of it
    /// that must not allocate) and returns it.
    /// </summary>
    public static long LeastBytes(Func<long> measuredRound, int rounds = 5)
    {
        long least = long.MaxValue;
        for (int i = 0; i < rounds && least > 0; i++)
        {
            least = Math.Min(least, measuredRound());
        }

        return least;
    }
}
