using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Iqn;

/// <summary>
/// Turns configurations of IQN's spaces (<see cref="IqnModule.SearchSpace"/>, ARLBench's DQN space without prioritised
/// replay) into <see cref="IqnParams"/> and back, as DQN's mapping does.
/// </summary>
/// <remarks>
/// <para>Mapping (hyperparameter → field): <c>buffer_size</c> → <see cref="IqnParams.BufferSize"/>,
/// <c>buffer_batch_size</c> → <see cref="IqnParams.BatchSize"/>, <c>learning_rate</c>, <c>gamma</c>,
/// <c>initial_epsilon</c> → <see cref="IqnParams.ExplorationInitialEps"/>, <c>target_epsilon</c> →
/// <see cref="IqnParams.ExplorationFinalEps"/>, <c>exploration_fraction</c>, <c>tau</c>, <c>train_freq</c>,
/// <c>gradient_steps</c>, <c>learning_starts</c>, <c>target_update_interval</c> → the fields of the same name;
/// <c>use_target_network = false</c> sets Tau = 1 and TargetUpdateInterval = 1 (the target copies the online network
/// every step), as for DQN. The NAS space maps into the model factories (<c>hidden_size</c> h → the preprocess network's [h, h], <c>activation</c> → the preprocess network and the head), not the params.</para>
/// <para><c>normalize_observations</c> is not in the space: the IQN agent does not normalise observations, so
/// <see cref="ToParams"/> refuses the key by name whatever its value (as DQN's mapping). The resulting params are
/// validated with <see cref="IqnParams.Validate"/>.</para>
/// </remarks>
public static class IqnConfigurationMapping
{
    private const string Algo = "IQN";
    private static readonly ConfigurationSpace HpoSpace = new IqnModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <exception cref="ArgumentException">An unknown key, a value of the wrong type, or a target-network child given while <c>use_target_network</c> is false.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="IqnParams.Validate"/>.</exception>
    public static IqnParams ToParams(Configuration hpo, IqnParams? basis = null)
    {
        ArgumentNullException.ThrowIfNull(hpo);
        if (hpo.TryGetValue(EnvironmentHyperparameters.NormalizeObservationsKey, out var normalize))
            throw new ArgumentException(
                $"Hyperparameter '{EnvironmentHyperparameters.NormalizeObservationsKey}' = {normalize} is not supported by IQN: its agent does not normalise observations (ARLBench's key is left out of its space); allowed: no such key.",
                EnvironmentHyperparameters.NormalizeObservationsKey);
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new IqnParams();
        var c = hpo;
        if (Has(c, "buffer_size")) p = p with { BufferSize = Int(c, "buffer_size") };
        if (Has(c, "buffer_batch_size")) p = p with { BatchSize = Int(c, "buffer_batch_size") };
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

    /// <summary>The HPO configuration of the params, keys in <see cref="IqnModule.SearchSpace"/>'s order (as DQN's mapping).</summary>
    public static Configuration ToConfiguration(IqnParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var pairs = new List<KeyValuePair<string, object>>
        {
            new("buffer_size", (long)p.BufferSize),
            new("buffer_batch_size", (long)p.BatchSize),
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
