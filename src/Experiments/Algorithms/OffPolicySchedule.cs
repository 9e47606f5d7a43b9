namespace RlExperiments.Experiments.Algorithms;

/// <summary>The replay schedule every off-policy params record has, in Stable-Baselines3's names.</summary>
/// <param name="BatchSize">Transitions per gradient step.</param>
/// <param name="BufferSize">Replay-buffer capacity in transitions.</param>
/// <param name="LearningStarts">Environment steps of uniform random actions before learning.</param>
/// <param name="TrainFreq">Vector steps between training rounds.</param>
/// <param name="GradientSteps">Gradient steps per training round (−1: one per environment step collected).</param>
public sealed record OffPolicySchedule(int BatchSize, int BufferSize, int LearningStarts, int TrainFreq, int GradientSteps);
