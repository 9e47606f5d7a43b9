using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>SAC's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class SacModule : AlgorithmModule<SACAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "SAC";

    /// <inheritdoc />
    public override AlgorithmPreset? Preset(string envId) =>
        SacPresets.All.FirstOrDefault(p => p.EnvId == envId) is { } p ? new AlgorithmPreset(new SACAlgorithmFactory { Params = p.Params }.WithNetArch(p.NetArch), p.TotalTimesteps, p.NumEnvs) : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> PresetEnvIds => SacPresets.All.Select(p => p.EnvId).ToArray();

    /// <inheritdoc />
    public override string Description => "Soft actor-critic (twin critics, automatic entropy); bounded Box actions";

    /// <summary>ARLBench's SAC space without prioritised replay, which the SAC agent does not apply.</summary>
    public override ConfigurationSpace AutoRLSpace() => SearchSpace().Without("buffer_prio_sampling", "buffer_alpha", "buffer_beta", "buffer_epsilon");

    /// <summary>
    /// ARLBench's space (automl/arlbench <c>get_hpo_config_space</c>): SAC hyperparameters. <c>tau</c> and <c>target_update_interval</c> are active only when
    /// <c>use_target_network</c> is true; the fixed entropy coefficient <c>alpha</c> only when <c>alpha_auto</c> is false.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("sac")
        .Add([
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 256L),
            .. SearchSpaceParts.PrioritizedReplay(1e-2, 1e-3),
            SearchSpaceParts.LearningRate(),
            SearchSpaceParts.Gamma(),
            .. SearchSpaceParts.TargetNetwork(),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 1),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 1024, 128),
            new IntegerHyperparameter("target_update_interval", 1, 1000, 1000),
            new CategoricalHyperparameter("alpha_auto", SearchSpaceParts.Bools, true),
            new FloatHyperparameter("alpha", 0.0, 1.0, 1.0)])
        .Add([.. SearchSpaceParts.TargetNetworkConditions(), new EqualsCondition("alpha", "alpha_auto", false)]);

    /// <summary>SAC network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (256). (ARLBench's <c>get_nas_config_space</c>)</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("sac_nas", 1024, 256);
}
