using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Td3;

/// <summary>TD3's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class Td3Module : AlgorithmModule<TD3AlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "TD3";

    /// <inheritdoc />
    public override AlgorithmPreset? Preset(string envId) =>
        Td3Presets.All.FirstOrDefault(p => p.EnvId == envId) is { } p ? new AlgorithmPreset(new TD3AlgorithmFactory { Params = p.Params }.WithNetArch(p.NetArch), p.TotalTimesteps, p.NumEnvs) : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> PresetEnvIds => Td3Presets.All.Select(p => p.EnvId).ToArray();

    /// <inheritdoc />
    public override string Description => "Twin delayed DDPG (twin critics, target policy smoothing, delayed actor); bounded Box actions";

    /// <summary>
    /// ARLBench has no TD3 space; this one is modelled on ARLBench's SAC space (automl/arlbench <c>get_hpo_config_space</c>)
    /// for the keys TD3 shares with it, with ARLBench's SAC ranges and Stable-Baselines3's TD3 defaults: <c>buffer_size</c>
    /// 1..10⁷ (10⁶), <c>buffer_batch_size</c> {64, 128, 256, 512} (256), <c>learning_rate</c> 1e-6..0.1 log (ARLBench's
    /// range, SB3's 1e-3), <c>gamma</c> 0.8..1 (0.99), <c>gradient_steps</c> 1..100,000 (1), <c>train_freq</c> 1..128 (1),
    /// <c>learning_starts</c> 0..1024 (SB3's 100). <c>tau</c> 0.001..1 log (SB3's 0.005): ARLBench's SAC range 0.01..1
    /// widened down to include SB3's default; there is no <c>use_target_network</c> (TD3's targets are always
    /// Polyak-averaged; <c>tau</c> = 1 copies). <c>exploration_noise</c> 0..1 (0.1, Tianshou's <c>MaxActionScaledGaussian(0.1)</c>)
    /// is not in ARLBench: the range goes up to the Box's half-range. Neither are TD3's own <c>policy_noise</c> 0..1 (0.2),
    /// <c>noise_clip</c> 0..1 (0.5) and <c>update_actor_freq</c> 1..10 (2): defaults from SB3/Tianshou (the TD3 paper's),
    /// ranges chosen here to span zero to the Box's half-range and delays up to 10. Prioritised replay and observation normalisation
    /// are left out: the TD3 agent applies neither.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("td3")
        .Add([
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 256L),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 1e-3, log: true),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("tau", 0.001, 1.0, 0.005, log: true),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 1),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 1024, 100),
            new FloatHyperparameter("exploration_noise", 0.0, 1.0, 0.1),
            new FloatHyperparameter("policy_noise", 0.0, 1.0, 0.2),
            new FloatHyperparameter("noise_clip", 0.0, 1.0, 0.5),
            new IntegerHyperparameter("update_actor_freq", 1, 10, 2)]);

    /// <summary>TD3 network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (256), as ARLBench's SAC NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("td3_nas", 1024, 256);
}
