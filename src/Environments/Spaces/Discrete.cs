using RlExperiments.Core;

namespace RlExperiments.Environments.Spaces;

/// <summary>
/// The integers <c>{Start, ..., Start + N - 1}</c> (Gymnasium's <c>Discrete(n, start=0)</c>); the
/// action space of CartPole, Acrobot and MountainCar.
/// </summary>
public sealed record Discrete : Space
{
    /// <summary>Creates the space of <paramref name="n"/> integers starting at <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public Discrete(int n, int start = 0)
    {
        if (n <= 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "Discrete space size n must be positive.");
        if ((long)start + n - 1 > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"start + n - 1 must fit in an int (n = {n}).");
        N = n;
        Start = start;
    }

    /// <summary>The number of values.</summary>
    public int N { get; }

    /// <summary>The smallest value.</summary>
    public int Start { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> Shape => [];

    /// <inheritdoc />
    public override int FlatSize => 1;

    /// <summary>True when <paramref name="value"/> is one of the space's integers.</summary>
    public bool Contains(int value) => value >= Start && value - Start < N;

    /// <summary>A uniformly drawn value.</summary>
    public int Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Start + rng.NextInt(N);
    }

    /// <inheritdoc />
    public override SpaceDescription Describe() => new("Discrete", [], "int64", N, Start);

    /// <summary>Gymnasium's repr: <c>Discrete(2)</c> or <c>Discrete(3, start=-1)</c>.</summary>
    public override string ToString() => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";
}
