using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ddpg;

/// <summary>DDPG's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class DdpgModule : AlgorithmModule<DDPGAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "DDPG";

    /// <inheritdoc />
    public override AlgorithmPreset? Preset(string envId) =>
        DdpgPresets.All.FirstOrDefault(p => p.EnvId == envId) is { } p ? new AlgorithmPreset(new DDPGAlgorithmFactory { Params = p.Params }.WithNetArch(p.NetArch), p.TotalTimesteps, p.NumEnvs) : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> PresetEnvIds => DdpgPresets.All.Select(p => p.EnvId).ToArray();

    /// <inheritdoc />
    public override string Description => "Deep deterministic policy gradient (one critic, Gaussian exploration noise); bounded Box actions";

    /// <summary>
    /// ARLBench has no DDPG space; this one is modelled on ARLBench's SAC space (automl/arlbench <c>get_hpo_config_space</c>)
    /// for the keys DDPG shares with it, with ARLBench's SAC ranges and Stable-Baselines3's DDPG defaults: <c>buffer_size</c>
    /// 1..10⁷ (10⁶), <c>buffer_batch_size</c> {64, 128, 256, 512} (256), <c>learning_rate</c> 1e-6..0.1 log (ARLBench's
    /// range, SB3's 1e-3), <c>gamma</c> 0.8..1 (0.99), <c>gradient_steps</c> 1..100,000 (1), <c>train_freq</c> 1..128 (1),
    /// <c>learning_starts</c> 0..1024 (SB3's 100). <c>tau</c> 0.001..1 log (SB3's 0.005): ARLBench's SAC range 0.01..1
    /// widened down to include SB3's default; there is no <c>use_target_network</c> (DDPG's targets are always
    /// Polyak-averaged; <c>tau</c> = 1 copies). <c>exploration_noise</c> 0..1 (0.1, Tianshou's <c>MaxActionScaledGaussian(0.1)</c>)
    /// is not in ARLBench: the range goes up to the Box's half-range. Prioritised replay and observation normalisation
    /// are left out: the DDPG agent applies neither.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("ddpg")
        .Add([
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 256L),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 1e-3, log: true),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("tau", 0.001, 1.0, 0.005, log: true),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 1),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 1024, 100),
            new FloatHyperparameter("exploration_noise", 0.0, 1.0, 0.1)]);

    /// <summary>DDPG network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (256), as ARLBench's SAC NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("ddpg_nas", 1024, 256);
}
