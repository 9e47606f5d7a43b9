namespace RlExperiments.Agents;

/// <summary>What one gradient update reports to the training loop, which stops on a non-finite value.</summary>
/// <param name="Loss">The main loss of the update (DQN's TD loss, SAC's critic loss).</param>
/// <param name="GradNorm">The gradient norm of that loss before clipping.</param>
public readonly record struct UpdateStats(double Loss, double GradNorm);
