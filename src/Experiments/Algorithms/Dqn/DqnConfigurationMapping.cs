using RlExperiments.Agents.Algorithms.Dqn;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Dqn;

/// <summary>
/// Turns configurations of ARLBench's DQN spaces (<see cref="DqnModule.SearchSpace"/>)
/// into <see cref="DqnParams"/> and back.
/// </summary>
/// <remarks>
/// <para>Mapping (hyperparameter → field): <c>buffer_size</c> → <see cref="DqnParams.BufferSize"/>,
/// <c>buffer_batch_size</c> → <see cref="DqnParams.BatchSize"/>, <c>buffer_prio_sampling</c> → <see cref="DqnParams.PrioritizedReplay"/>,
/// <c>buffer_alpha</c> → <see cref="DqnParams.PriorityAlpha"/>, <c>buffer_beta</c> → <see cref="DqnParams.PriorityBeta0"/>
/// (here β is annealed from this value to 1 over training), <c>buffer_epsilon</c> → <see cref="DqnParams.PriorityEps"/>,
/// <c>learning_rate</c>, <c>gamma</c>, <c>initial_epsilon</c> → <see cref="DqnParams.ExplorationInitialEps"/>,
/// <c>target_epsilon</c> → <see cref="DqnParams.ExplorationFinalEps"/>, <c>exploration_fraction</c>, <c>tau</c>,
/// <c>train_freq</c>, <c>gradient_steps</c>, <c>learning_starts</c>, <c>target_update_interval</c> → the fields of the same name.</para>
/// <para><c>use_target_network = false</c> sets <see cref="DqnParams.Tau"/> = 1 and
/// <see cref="DqnParams.TargetUpdateInterval"/> = 1: the target is the online network, copied every environment step.
/// Inversely, <c>use_target_network</c> is false exactly when Tau == 1 and TargetUpdateInterval == 1 (so a
/// configuration with <c>use_target_network = true, tau = 1, target_update_interval = 1</c> maps back to
/// <c>use_target_network = false</c>; both mean the same). With <c>gradient_steps</c> &gt; 1 the copy made each
/// step stays fixed during one training phase, so it only approximates ARLBench's "target = online parameters".</para>
/// <para><c>normalize_observations</c> is not in the space: the DQN agent does not normalise observations, so
/// <see cref="ToParams"/> refuses the key by name (whatever its value) rather than ignoring it, and
/// <see cref="ToConfiguration"/> does not emit it.</para>
/// <para>Values are not checked against ARLBench's ranges (reduced or widened benchmark spaces use other ranges);
/// the resulting params are validated with <see cref="DqnParams.Validate"/>.</para>
/// </remarks>
public static class DqnConfigurationMapping
{
    private const string Algo = "DQN";
    private static readonly ConfigurationSpace HpoSpace = new DqnModule().SearchSpace();

    /// <summary>
    /// Builds params from an HPO configuration : starts from
    /// <paramref name="basis"/> and overrides every field whose hyperparameter is present; absent keys keep the basis value.
    /// </summary>
    /// <param name="hpo">A full or partial configuration of <see cref="DqnModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new DqnParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key, a value of the wrong type, or a target-network child given while <c>use_target_network</c> is false.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="DqnParams.Validate"/>.</exception>
    public static DqnParams ToParams(Configuration hpo, DqnParams? basis = null)
    {
        ArgumentNullException.ThrowIfNull(hpo);
        if (hpo.TryGetValue(EnvironmentHyperparameters.NormalizeObservationsKey, out var normalize))
            throw new ArgumentException(
                $"Hyperparameter '{EnvironmentHyperparameters.NormalizeObservationsKey}' = {normalize} is not supported by DQN: its agent does not normalise observations (ARLBench's key is left out of its space); allowed: no such key.",
                EnvironmentHyperparameters.NormalizeObservationsKey);
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new DqnParams();
        var c = hpo;
        if (Has(c, "buffer_size")) p = p with { BufferSize = Int(c, "buffer_size") };
        if (Has(c, "buffer_batch_size")) p = p with { BatchSize = Int(c, "buffer_batch_size") };
        if (Has(c, "buffer_prio_sampling")) p = p with { PrioritizedReplay = Bool(c, "buffer_prio_sampling") };
        if (Has(c, "buffer_alpha")) p = p with { PriorityAlpha = Double(c, "buffer_alpha") };
        if (Has(c, "buffer_beta")) p = p with { PriorityBeta0 = Double(c, "buffer_beta") };
        if (Has(c, "buffer_epsilon")) p = p with { PriorityEps = Double(c, "buffer_epsilon") };
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "initial_epsilon")) p = p with { ExplorationInitialEps = Double(c, "initial_epsilon") };
        if (Has(c, "target_epsilon")) p = p with { ExplorationFinalEps = Double(c, "target_epsilon") };
        if (Has(c, "exploration_fraction")) p = p with { ExplorationFraction = Double(c, "exploration_fraction") };
        var (tau, interval) = TargetNetwork(c, Algo);
        if (tau is { } t) p = p with { Tau = t };
        if (interval is { } i) p = p with { TargetUpdateInterval = i };
        if (Has(c, "train_freq")) p = p with { TrainFreq = Int(c, "train_freq") };
        if (Has(c, "gradient_steps")) p = p with { GradientSteps = Int(c, "gradient_steps") };
        if (Has(c, "learning_starts")) p = p with { LearningStarts = Int(c, "learning_starts") };
        p.Validate();
        return p;
    }

    /// <summary>
    /// The HPO configuration of the params, keys in <see cref="DqnModule.SearchSpace"/>'s order; <c>tau</c> and
    /// <c>target_update_interval</c> are omitted when <c>use_target_network</c> is false (Tau == 1 and
    /// TargetUpdateInterval == 1). Values may lie outside ARLBench's ranges.
    /// </summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(DqnParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var pairs = new List<KeyValuePair<string, object>>
        {
            new("buffer_size", (long)p.BufferSize),
            new("buffer_batch_size", (long)p.BatchSize),
            new("buffer_prio_sampling", p.PrioritizedReplay),
            new("buffer_alpha", p.PriorityAlpha),
            new("buffer_beta", p.PriorityBeta0),
            new("buffer_epsilon", p.PriorityEps),
            new("learning_rate", p.LearningRate),
            new("gamma", p.Gamma),
            new("initial_epsilon", p.ExplorationInitialEps),
            new("target_epsilon", p.ExplorationFinalEps),
            new("exploration_fraction", p.ExplorationFraction),
        };
        var use = UsesTargetNetwork(p.Tau, p.TargetUpdateInterval);
        pairs.Add(new(UseTargetNetworkKey, use));
        if (use) pairs.Add(new(TauKey, p.Tau));
        pairs.Add(new("train_freq", (long)p.TrainFreq));
        pairs.Add(new("gradient_steps", (long)p.GradientSteps));
        pairs.Add(new("learning_starts", (long)p.LearningStarts));
        if (use) pairs.Add(new(TargetUpdateIntervalKey, (long)p.TargetUpdateInterval));
        return new Configuration(pairs);
    }
}
