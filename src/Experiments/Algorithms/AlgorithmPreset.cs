namespace RlExperiments.Experiments.Algorithms;

/// <summary>A module's tuned settings for one environment (rl-baselines3-zoo's hyperparameters, translated field by field).</summary>
/// <param name="Factory">The algorithm factory with the preset's params.</param>
/// <param name="TotalTimesteps">The zoo's training budget (<c>n_timesteps</c>).</param>
/// <param name="NumEnvs">The zoo's number of training environments (<c>n_envs</c>).</param>
public sealed record AlgorithmPreset(AlgorithmFactory Factory, long TotalTimesteps, int NumEnvs);
