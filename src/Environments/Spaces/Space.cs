namespace RlExperiments.Environments.Spaces;

/// <summary>
/// A set of valid observations or actions (Gymnasium's <c>gymnasium.spaces.Space</c>). Spaces are
/// immutable; <see cref="Describe"/> gives a plain record that serialises cleanly to JSON and
/// <see cref="FromDescription"/> turns it back into a space.
/// </summary>
public abstract record Space
{
    private protected Space() { }

    /// <summary>The shape of one element (<c>[]</c> for a <see cref="Discrete"/> scalar).</summary>
    public abstract IReadOnlyList<int> Shape { get; }

    /// <summary>How many floats one element occupies in a flat buffer: the product of the shape, or 1 for <see cref="Discrete"/>.</summary>
    public abstract int FlatSize { get; }

    /// <summary>A JSON-friendly description of this space (type, shape, bounds).</summary>
    public abstract SpaceDescription Describe();

    /// <summary>Recreates a space from <see cref="Describe"/>'s output.</summary>
    /// <exception cref="ArgumentException">The description names an unknown type or is inconsistent.</exception>
    public static Space FromDescription(SpaceDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        switch (description.Type)
        {
            case "Discrete":
                if (description.N is not { } n)
                    throw new ArgumentException("A Discrete description needs N.", nameof(description));
                return new Discrete(n, description.Start ?? 0);
            case "Box":
                if (description.Low is null || description.High is null)
                    throw new ArgumentException("A Box description needs Low and High.", nameof(description));
                var low = new float[description.Low.Length];
                var high = new float[description.High.Length];
                for (var i = 0; i < low.Length; i++)
                    low[i] = description.Low[i] ?? float.NegativeInfinity;
                for (var i = 0; i < high.Length; i++)
                    high[i] = description.High[i] ?? float.PositiveInfinity;
                return new Box(low, high, description.Shape);
            default:
                throw new ArgumentException(
                    $"Unknown space type '{description.Type}'. Allowed: Discrete, Box.", nameof(description));
        }
    }
}
