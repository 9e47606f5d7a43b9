using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.A2c;

/// <summary>A2C's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class A2cModule : AlgorithmModule<A2CAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "A2C";

    /// <inheritdoc />
    public override AlgorithmPreset? Preset(string envId) =>
        A2cPresets.All.FirstOrDefault(p => p.EnvId == envId) is { } p ? new AlgorithmPreset(new A2CAlgorithmFactory { Params = p.Params }.WithNetArch(p.NetArch), p.TotalTimesteps, p.NumEnvs) : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> PresetEnvIds => A2cPresets.All.Select(p => p.EnvId).ToArray();

    /// <inheritdoc />
    public override string Description => "Synchronous advantage actor-critic (GAE, RMSprop); Discrete and Box actions";

    /// <summary>
    /// ARLBench has no A2C space; this one uses the keys A2C shares with ARLBench's PPO space, with ARLBench's PPO ranges
    /// for <c>learning_rate</c> (default SB3's 7e-4), <c>gamma</c>, <c>ent_coef</c> 0..0.5 (default Tianshou's 0.01) and
    /// <c>vf_coef</c> 0..1 (0.5); <c>gae_lambda</c> 0.8..1.0 (default Tianshou's 0.95; the range reaches SB3's 1.0),
    /// <c>max_grad_norm</c> 0.1..1.0 (SB3's 0.5; no 0, which A2cParams cannot express), <c>n_steps</c>
    /// {5, 8, 16, 32, 64, 128, 256} (SB3's 5; the zoo's tuned A2C settings use 5 and 8) and <c>normalize_observations</c> (off).
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("a2c")
        .Add([
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 7e-4, log: true),
            new CategoricalHyperparameter("n_steps", new object[] { 5L, 8L, 16L, 32L, 64L, 128L, 256L }, 5L),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("gae_lambda", 0.8, 1.0, 0.95),
            new FloatHyperparameter("ent_coef", 0.0, 0.5, 0.01),
            new FloatHyperparameter("vf_coef", 0.0, 1.0, 0.5),
            new FloatHyperparameter("max_grad_norm", 0.1, 1.0, 0.5),
            SearchSpaceParts.NormalizeObservations()]);

    /// <summary>A2C network space: activation {tanh, relu} (tanh), hidden_size 1..2048 (64), as ARLBench's PPO NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("a2c_nas", 2048, 64);
}
