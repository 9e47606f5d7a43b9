namespace RlExperiments.Agents.Training;

/// <summary>
/// Thrown when a loss or gradient norm becomes NaN or infinite: training stops at once, naming the
/// quantity and the step, so nothing later overwrites the last good checkpoint or log rows.
/// </summary>
public sealed class NonFiniteException(string quantity, double value, long envStep, long gradientStep)
    : Exception($"{quantity} became {value} at env step {envStep} (gradient step {gradientStep}); training stopped. " +
                "Lower the learning rate, clip gradients, or normalise observations/rewards.")
{
    /// <summary>Which quantity went non-finite, e.g. "train/loss".</summary>
    public string Quantity { get; } = quantity;

    /// <summary>The environment step at which it happened.</summary>
    public long EnvStep { get; } = envStep;

    /// <summary>The gradient step at which it happened.</summary>
    public long GradientStep { get; } = gradientStep;

    /// <summary>Throws when <paramref name="value"/> is NaN or infinite.</summary>
    public static void ThrowIfNonFinite(string quantity, double value, long envStep, long gradientStep)
    {
        if (!double.IsFinite(value)) throw new NonFiniteException(quantity, value, envStep, gradientStep);
    }
}
