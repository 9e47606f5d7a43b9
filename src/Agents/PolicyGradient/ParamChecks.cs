using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>The range checks the policy-gradient params records share; each throws <see cref="ArgumentOutOfRangeException"/> naming the field, the value and what is allowed.</summary>
public static class ParamChecks
{
    /// <summary>A finite number &gt; 0.</summary>
    public static void Positive(string name, double value, string hint = "")
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0{hint}.");
    }

    /// <summary>A finite number ≥ 0.</summary>
    public static void NonNegative(string name, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
    }

    /// <summary>A number in [0, 1].</summary>
    public static void UnitInterval(string name, double value)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1].");
    }

    /// <summary>An integer ≥ <paramref name="min"/>.</summary>
    public static void AtLeast(string name, int value, int min, string hint = "")
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ {min}{hint}.");
    }

    /// <summary>The initial log-standard-deviation of a Gaussian policy: a finite number.</summary>
    public static void LogStd(double logStdInit)
    {
        if (!double.IsFinite(logStdInit))
            throw new ArgumentOutOfRangeException("LogStdInit", logStdInit, $"LogStdInit must be a finite number.");
    }
}
