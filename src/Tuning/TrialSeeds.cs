using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>Random streams derived from the study seed and a trial number, so a trial's randomness does not depend on timing.</summary>
internal static class TrialSeeds
{
    private const ulong SamplerSalt = 0x5A3B_C0DE_0000_0001UL;
    private const ulong FitSalt = 0xF17_5EED_0000_0002UL;

    /// <summary>(seed, number) packed into 64 bits (injective), salted per purpose; the <see cref="Rng"/> constructor mixes it.</summary>
    private static ulong Key(int seed, int number, ulong salt) => unchecked(((ulong)(uint)seed << 32) | (uint)number) ^ salt;

    /// <summary>The random source the sampler gets when suggesting trial <paramref name="number"/>.</summary>
    public static Rng Sampler(int seed, int number) => new(Key(seed, number, SamplerSalt));

    /// <summary><paramref name="count"/> distinct non-negative seeds (below 2^30) for the fits of trial <paramref name="number"/>.</summary>
    public static int[] Fit(int seed, int number, int count) => SeedStreams.SpawnDistinct(Key(seed, number, FitSalt), count);
}
