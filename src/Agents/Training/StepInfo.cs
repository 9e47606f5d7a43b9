namespace RlExperiments.Agents.Training;

/// <summary>
/// Where training is when a step callback runs (a value type, so calling a callback allocates nothing).
/// </summary>
/// <param name="Epoch">The epoch being trained (1-based).</param>
/// <param name="EnvSteps">Environment steps so far, summed over the training environments.</param>
/// <param name="GradientSteps">Gradient steps so far.</param>
public readonly record struct StepInfo(int Epoch, long EnvSteps, long GradientSteps);
