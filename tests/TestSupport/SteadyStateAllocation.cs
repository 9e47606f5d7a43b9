namespace RlExperiments.Testing;

/// <summary>
/// Steady-state allocation for tests that assert "nothing is allocated per step": the least a few rounds allocate. Tests
/// run with tiered compilation off (tests/Directory.Build.props), which removed the one-time allocations seen before
/// (quickly compiled code swapped for optimised code in the middle of a round); a round can still overlap one-time
/// runtime work that no warm-up controls, while an allocation per step or per call shows in every round.
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
