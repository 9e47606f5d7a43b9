using RlExperiments.Core;

namespace RlExperiments.Agents;

/// <summary>
/// The independent random streams one experiment seed is split into (design principle 4): network
/// initialisation, exploration, replay sampling and environment seeding each get their own child of
/// <c>new Rng(seed)</c>, so changing how many numbers one of them draws never shifts the others.
/// Agents take <see cref="Init"/>, <see cref="Exploration"/> and <see cref="Sampling"/>; training loops take
/// <see cref="Environments"/>.
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

    /// <summary>Draws a seed for <c>VectorEnv.Reset</c> (in [0, 2^30), so seed + i never overflows).</summary>
    public static int NextEnvSeed(Rng rng) => rng.NextInt(1 << 30);
}
