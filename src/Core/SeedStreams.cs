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

    /// <summary>
    /// The seeds of <paramref name="count"/> seeded runs of a collection or manager with root seed <paramref name="rootSeed"/>:
    /// distinct, in [0, 2^30), each from its own child stream (NumPy <c>SeedSequence.spawn</c> style), keyed apart from
    /// the streams <see cref="FromSeed"/> derives from the same number. Same root seed, same seeds in the same order;
    /// asking for more keeps the first ones.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static IReadOnlyList<int> RunSeeds(int rootSeed, int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The number of seeded experiments = {count} is invalid; allowed: an integer ≥ 1.");
        return SpawnDistinct(unchecked((ulong)rootSeed) ^ 0xC011_EC71_0A5E_ED55UL, count);
    }

    /// <summary>
    /// <paramref name="count"/> distinct seeds in [0, 2^30) drawn from independent child streams of <c>new Rng(key)</c>
    /// (child i gives seed i, redrawing only on a collision): the one way run seeds are spawned from a key.
    /// </summary>
    public static int[] SpawnDistinct(ulong key, int count)
    {
        var children = new Rng(key).Spawn(count);
        var seeds = new int[count];
        var used = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            int seed;
            do seed = children[i].NextInt(1 << 30);
            while (!used.Add(seed));
            seeds[i] = seed;
        }
        return seeds;
    }
}
