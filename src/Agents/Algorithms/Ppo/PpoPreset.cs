namespace RlExperiments.Agents.Algorithms.Ppo;

/// <summary>A named, tuned PPO configuration for one environment: what to train, on how many environments, for how long.</summary>
/// <param name="Name">Preset name, e.g. "zoo/CartPole-v1".</param>
/// <param name="EnvId">The registered environment id.</param>
/// <param name="NumEnvs">Training environments (<c>n_envs</c>).</param>
/// <param name="NumTimesteps">The training budget the preset was tuned for (<c>n_timesteps</c>).</param>
/// <param name="Params">The hyperparameters.</param>
public sealed record PpoPreset(string Name, string EnvId, int NumEnvs, long NumTimesteps, PpoParams Params);
