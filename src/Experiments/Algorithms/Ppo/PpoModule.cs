using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ppo;

/// <summary>PPO's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class PpoModule : AlgorithmModule<PPOAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "PPO";

    /// <inheritdoc />
    public override AlgorithmPreset? Preset(string envId) =>
        PpoPresets.All.FirstOrDefault(p => p.EnvId == envId) is { } p ? new AlgorithmPreset(new PPOAlgorithmFactory { Params = p.Params }.WithNetArch(p.NetArch), p.TotalTimesteps, p.NumEnvs) : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> PresetEnvIds => PpoPresets.All.Select(p => p.EnvId).ToArray();

    /// <inheritdoc />
    public override string Description => "Proximal policy optimisation (clipped surrogate, GAE); Discrete and Box actions";

    /// <summary>ARLBench's (automl/arlbench <c>get_hpo_config_space</c>) PPO hyperparameters (no conditions).</summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("ppo")
        .Add([
            new CategoricalHyperparameter("minibatch_size", new object[] { 16L, 32L, 64L, 128L, 2048L }, 64L),
            SearchSpaceParts.LearningRate(),
            new CategoricalHyperparameter("n_steps", new object[] { 5L, 32L, 64L, 80L, 128L, 256L, 512L }, 128L),
            new IntegerHyperparameter("update_epochs", 1, 20, 10),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("gae_lambda", 0.8, 0.9999, 0.95),
            new FloatHyperparameter("clip_eps", 0.0, 0.5, 0.2),
            new FloatHyperparameter("vf_clip_eps", 0.0, 0.5, 0.2),
            new CategoricalHyperparameter("normalize_advantage", SearchSpaceParts.Bools, true),
            new FloatHyperparameter("ent_coef", 0.0, 0.5, 0.0),
            new FloatHyperparameter("vf_coef", 0.0, 1.0, 0.5),
            new FloatHyperparameter("max_grad_norm", 0.0, 1.0, 0.5),
            SearchSpaceParts.NormalizeObservations()]);

    /// <summary>PPO network space: activation {tanh, relu} (tanh), hidden_size 1..2048 (64). (ARLBench's <c>get_nas_config_space</c>)</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("ppo_nas", 2048, 64);
}
