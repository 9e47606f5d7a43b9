namespace RlExperiments.Agents.ContinuousControl;

/// <summary>What <see cref="DeterministicPolicyAgent{TCritic}"/> needs from an algorithm's (validated) params.</summary>
internal sealed record DeterministicPolicySettings(
    string Algorithm,
    double LearningRate,
    int BufferSize,
    int LearningStarts,
    int BatchSize,
    double Gamma,
    double Tau,
    int NStep,
    int TrainFreq,
    int GradientSteps,
    double ExplorationNoise,
    ExplorationNoiseType NoiseType,
    double MaxGradNorm);
