using System.Globalization;

namespace RlExperiments.Agents;

/// <summary>The check every <see cref="ILearningRateControl.SetLearningRate"/> makes, with the same message.</summary>
internal static class LearningRateCheck
{
    /// <summary>Throws unless <paramref name="learningRate"/> is finite and ≥ 0 (as the optimiser factories allow).</summary>
    public static void ThrowIfInvalid(double learningRate)
    {
        if (!(learningRate >= 0 && double.IsFinite(learningRate)))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"learningRate = {learningRate.ToString(CultureInfo.InvariantCulture)} is invalid; allowed: a finite number ≥ 0.");
    }
}
