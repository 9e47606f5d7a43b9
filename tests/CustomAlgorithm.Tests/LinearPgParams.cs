namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>The hyperparameters of the test-only linear policy-gradient algorithm.</summary>
public sealed record LinearPgParams
{
    /// <summary>Step size of the gradient ascent on the policy's weights. Allowed: (0, 10].</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Steps per environment per rollout. Allowed: ≥ 1.</summary>
    public int NumSteps { get; init; } = 200;

    /// <summary>Discount factor. Allowed: (0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Throws naming the field when a value is out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0 && LearningRate <= 10))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"LearningRate = {LearningRate} is invalid; allowed: (0, 10].");
        if (NumSteps < 1) throw new ArgumentOutOfRangeException(nameof(NumSteps), NumSteps, $"NumSteps = {NumSteps} is invalid; allowed: ≥ 1.");
        if (!(Gamma > 0 && Gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, $"Gamma = {Gamma} is invalid; allowed: (0, 1].");
    }
}
