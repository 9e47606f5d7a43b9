namespace RlExperiments.Core;

/// <summary>
/// The independent random streams one experiment seed is split into (design principle 4): network
/// initialisation, exploration, replay sampling and environment seeding each get their own child of
/// <c>new Rng(seed)</c>, so changing how many numbers one of them draws never shifts the others.
/// Agents take <see cref="Init"/>, <see cref="Exploration"/> and <see cref="Sampling"/>; the environment seeds of a run
/// derive from <see cref="Environments"/> in one place, <see cref="EnvironmentSeeds"/>, which the environment factory
/// uses and a trainer is given.
/// </summary>
public sealed class SeedStreams
{
    private SeedStreams(int seed)
    {
        Seed = seed;
        var children = new Rng(unchecked((ulong)seed)).Spawn(4);
        Init = children[0];
        Exploration = children[1];
        Sampling = children[2];
        Environments = children[3];
    }

    /// <summary>Splits <paramref name="seed"/> into its streams (the same seed always gives the same streams).</summary>
    public static SeedStreams FromSeed(int seed) => new(seed);

    /// <summary>The experiment seed.</summary>
    public int Seed { get; }

    /// <summary>Network initialisation.</summary>
    public Rng Init { get; }

    /// <summary>Exploration: ε-greedy draws, policy samples, uniform warm-up actions.</summary>
    public Rng Exploration { get; }

    /// <summary>Replay-buffer sampling (and anything else the update draws, e.g. SAC's target-action noise).</summary>
    public Rng Sampling { get; }

    /// <summary>Seeds for the training and test environments.</summary>
    public Rng Environments { get; }

    /// <summary>
    /// The seeds of a run's training, test and watch environments (the only place they are derived): the
    /// <see cref="Environments"/> stream spawns three independent children, one each for the training, test and watch
    /// environments; each draws its base seed in [0, 2^30). Training environment i is reset with <c>Train + i</c> and
    /// test environment j with <c>Test + j</c>; a test (or watch) seed whose range would overlap an earlier one is
    /// redrawn from its own stream, so the ranges never overlap. The same seed and counts always give the same seeds.
    /// Does not advance this instance's <see cref="Environments"/> (the children come from a fresh copy of it).
    /// </summary>
    /// <param name="numTrainEnvs">Training environments; at least 1.</param>
    /// <param name="numTestEnvs">Test environments; 0 for none (the test seed is then drawn but unused).</param>
    public EnvSeeds EnvironmentSeeds(int numTrainEnvs, int numTestEnvs)
    {
        if (numTrainEnvs < 1)
            throw new ArgumentOutOfRangeException(nameof(numTrainEnvs), numTrainEnvs, $"numTrainEnvs = {numTrainEnvs} is invalid; allowed: an integer ≥ 1.");
        if (numTestEnvs < 0)
            throw new ArgumentOutOfRangeException(nameof(numTestEnvs), numTestEnvs, $"numTestEnvs = {numTestEnvs} is invalid; allowed: an integer ≥ 0.");
        const int range = 1 << 30;
        var streams = FromSeed(Seed).Environments.Spawn(3);
        var train = streams[0].NextInt(range);
        int test;
        do test = streams[1].NextInt(range);
        while (numTestEnvs > 0 && Overlaps(test, numTestEnvs, train, numTrainEnvs));
        int watch;
        do watch = streams[2].NextInt(range);
        while (Overlaps(watch, 1, train, numTrainEnvs) || (numTestEnvs > 0 && Overlaps(watch, 1, test, numTestEnvs)));
        return new EnvSeeds(train, test, watch);
    }

    private static bool Overlaps(int a, int countA, int b, int countB) =>
        (long)a < (long)b + countB && (long)b < (long)a + countA;
}
