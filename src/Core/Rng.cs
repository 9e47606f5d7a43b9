using System.Numerics;
using System.Runtime.CompilerServices;

namespace RlExperiments.Core;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). Same seed, same
/// numbers on every run and machine. <see cref="Spawn(int)"/> derives independent child streams
/// from a hash of this stream's key and the child's index (as NumPy's <c>SeedSequence.spawn</c>),
/// so spawning never consumes numbers from the parent and children of children never overlap.
/// </summary>
/// <remarks>Not thread-safe: give each thread its own stream through <see cref="Spawn(int)"/>.</remarks>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private ulong _key;
    private long _spawned;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a stream from a seed.</summary>
    public Rng(ulong seed) : this(Mix(seed ^ 0x6A09E667F3BCC909UL), 0) { }

    private Rng(ulong key, int _)
    {
        _key = key;
        var sm = key;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>
    /// Creates <paramref name="count"/> child streams, statistically independent of this one and of
    /// each other. Calling it again yields further, different children.
    /// </summary>
    public Rng[] Spawn(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var children = new Rng[count];
        for (var i = 0; i < count; i++)
            children[i] = SpawnOne();
        return children;
    }

    /// <summary>Creates one child stream (see <see cref="Spawn(int)"/>).</summary>
    public Rng SpawnOne()
    {
        var index = (ulong)++_spawned;
        return new Rng(Mix(_key ^ Mix(index * 0x9E3779B97F4A7C15UL + 0xBF58476D1CE4E5B9UL)), 0);
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "maxExclusive must be positive.");
        // Lemire's multiply-and-reject method on 32 bits.
        var range = (uint)maxExclusive;
        var m = (ulong)(uint)(NextUInt64() >> 32) * range;
        var low = (uint)m;
        if (low < range)
        {
            var threshold = (uint)-range % range;
            while (low < threshold)
            {
                m = (ulong)(uint)(NextUInt64() >> 32) * range;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"maxExclusive must exceed minInclusive ({minInclusive}).");
        return minInclusive + NextInt(maxExclusive - minInclusive);
    }

    /// <summary>A standard normal draw (Marsaglia's polar method; the second value is kept for the next call).</summary>
    public double Normal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>A normal draw with the given mean and standard deviation.</summary>
    public double Normal(double mean, double std) => mean + std * Normal();

    /// <summary>Fills <paramref name="destination"/> with uniform floats in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        var scale = high - low;
        for (var i = 0; i < destination.Length; i++)
            destination[i] = low + scale * NextFloat();
    }

    /// <summary>Fills <paramref name="destination"/> with normal floats.</summary>
    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = (float)(mean + std * Normal());
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>The complete state, for checkpoints: restoring it continues the exact sequence.</summary>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _key, _spawned, _hasSpare, _spareNormal);

    /// <summary>Restores a state taken with <see cref="GetState"/>.</summary>
    public void SetState(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("An all-zero xoshiro256** state is invalid (the generator would emit only zeros).", nameof(state));
        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
        _key = state.Key;
        _spawned = state.Spawned;
        _hasSpare = state.HasSpareNormal;
        _spareNormal = state.SpareNormal;
    }

    /// <summary>Creates a stream from a saved state.</summary>
    public static Rng FromState(RngState state)
    {
        var rng = new Rng(0);
        rng.SetState(state);
        return rng;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The full state of an <see cref="Rng"/>: generator words, spawn key and counter, and the cached normal draw.</summary>
public readonly record struct RngState(
    ulong S0, ulong S1, ulong S2, ulong S3, ulong Key, long Spawned, bool HasSpareNormal, double SpareNormal);
