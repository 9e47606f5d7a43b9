namespace RlExperiments.Agents.Presets;

/// <summary>
/// A tuned hyperparameter set from rl-baselines3-zoo (<c>hyperparams/&lt;algo&gt;.yml</c>): the algorithm's params
/// for one environment and the training budget the zoo uses with them.
/// </summary>
/// <typeparam name="TParams">The algorithm's params record.</typeparam>
/// <param name="Algorithm">Algorithm name, e.g. "DQN".</param>
/// <param name="EnvId">Registered environment id, e.g. "CartPole-v1".</param>
/// <param name="Params">The hyperparameters.</param>
/// <param name="TotalTimesteps">The zoo's <c>n_timesteps</c>: environment steps of training.</param>
/// <param name="NumEnvs">The zoo's <c>n_envs</c> (1 unless stated).</param>
/// <param name="NetArch">
/// The zoo's <c>policy_kwargs: net_arch</c>: hidden-layer widths of every network, or null for the algorithm's default
/// networks. The network is not a params field (params hold the algorithm only); an algorithm's module writes these
/// widths into its default model factories.
/// </param>
public sealed record ZooPreset<TParams>(string Algorithm, string EnvId, TParams Params, long TotalTimesteps, int NumEnvs = 1,
    IReadOnlyList<int>? NetArch = null);
