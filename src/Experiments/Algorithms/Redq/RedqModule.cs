using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Redq;

/// <summary>REDQ's module: its factory, search spaces and persisted model factory (see <see cref="AlgorithmModule"/>).</summary>
public sealed class RedqModule : AlgorithmModule<REDQAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "REDQ";

    /// <inheritdoc />
    public override string Description => "Randomized ensembled double Q-learning (critic ensemble, random-subset target, high update-to-data ratio); bounded Box actions";

    /// <summary>The factory and the default critic-ensemble factory, which only REDQ uses.</summary>
    public override IReadOnlyList<Type> PersistedTypes => [typeof(REDQAlgorithmFactory), typeof(CriticEnsembleFactoryDefault)];

    /// <summary>
    /// ARLBench has no REDQ space; this one is ARLBench's SAC space (automl/arlbench <c>get_hpo_config_space</c>) for the keys
    /// REDQ shares with SAC, with ARLBench's ranges and <see cref="Agents.Algorithms.Redq.RedqParams"/>' defaults:
    /// <c>buffer_size</c> 1..10⁷ (10⁶), <c>buffer_batch_size</c> {64, 128, 256, 512} (256), <c>learning_rate</c> 1e-6..0.1 log
    /// (1e-3, the critics'; the actor's follows at the params' actor:critic ratio), <c>gamma</c> 0.8..1 (0.99), <c>gradient_steps</c> 1..100,000 (the update-to-data
    /// ratio, 20), <c>train_freq</c> 1..128 (1), <c>alpha_auto</c> (true) and <c>alpha</c> 0..1 (0.2, active without
    /// <c>alpha_auto</c>). <c>tau</c> 0.001..1 log (0.005): ARLBench's 0.01..1 widened to include Tianshou's default; REDQ's
    /// targets are always Polyak-averaged after every critic step, so there is no <c>use_target_network</c> or
    /// <c>target_update_interval</c>. <c>learning_starts</c> 0..10,000 (the REDQ paper's 5000; ARLBench's SAC range ends at 1024).
    /// REDQ's own keys, with Tianshou's defaults and ranges chosen here around the paper's ablations: <c>ensemble_size</c> 2..20
    /// (10), <c>subset_size</c> 1..10 (2, at most <c>ensemble_size</c>, checked by the mapping), <c>actor_delay</c> 1..40 (20),
    /// <c>target_mode</c> {min, mean} (min). Prioritised replay and observation normalisation are left out: the agent applies neither.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("redq")
        .Add([
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 256L),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 1e-3, log: true),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("tau", 0.001, 1.0, 0.005, log: true),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 20),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 10_000, 5_000),
            new CategoricalHyperparameter("alpha_auto", SearchSpaceParts.Bools, true),
            new FloatHyperparameter("alpha", 0.0, 1.0, 0.2),
            new IntegerHyperparameter("ensemble_size", 2, 20, 10),
            new IntegerHyperparameter("subset_size", 1, 10, 2),
            new IntegerHyperparameter("actor_delay", 1, 40, 20),
            new CategoricalHyperparameter("target_mode", new object[] { "min", "mean" }, "min")])
        .Add([new EqualsCondition("alpha", "alpha_auto", false)]);

    /// <summary>REDQ network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (256), as ARLBench's SAC NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("redq_nas", 1024, 256);
}
