using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Redq;

/// <summary>
/// Turns configurations of REDQ's spaces (<see cref="RedqModule.SearchSpace"/>) into
/// <see cref="RedqParams"/> and back.
/// </summary>
/// <remarks>
/// <c>learning_rate</c> (ARLBench has one) is <see cref="RedqParams.CriticLearningRate"/>; <see cref="RedqParams.ActorLearningRate"/>
/// follows it at the basis' actor:critic ratio (1 for the defaults), so a preset's 1:10 survives
/// tuning and <c>ToParams(ToConfiguration(p), p)</c> is <c>p</c>.
/// <c>alpha_auto</c> → <see cref="RedqParams.AutoAlpha"/>, <c>alpha</c> → <see cref="RedqParams.Alpha"/> (inactive, and
/// refused, with <c>alpha_auto</c> true), <c>target_mode</c> "min"/"mean" → <see cref="RedqParams.TargetMode"/>, the other
/// keys → the fields of the same meaning. The resulting params are validated (e.g. <c>subset_size</c> ≤ <c>ensemble_size</c>).
/// </remarks>
public static class RedqConfigurationMapping
{
    private const string Algo = "REDQ";
    private static readonly ConfigurationSpace HpoSpace = new RedqModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="RedqModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of absent keys; default <c>new RedqParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key, a value of the wrong type, an unknown <c>target_mode</c>, or <c>alpha</c> with <c>alpha_auto</c> = true.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="RedqParams.Validate"/>.</exception>
    public static RedqParams ToParams(Configuration hpo, RedqParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new RedqParams();
        var c = hpo;
        if (Has(c, "buffer_size")) p = p with { BufferSize = Int(c, "buffer_size") };
        if (Has(c, "buffer_batch_size")) p = p with { BatchSize = Int(c, "buffer_batch_size") };
        if (Has(c, "learning_rate"))
        {
            var (actor, critic) = ActorCriticRates(Double(c, "learning_rate"), p.ActorLearningRate, p.CriticLearningRate);
            p = p with { ActorLearningRate = actor, CriticLearningRate = critic };
        }
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "tau")) p = p with { Tau = Double(c, "tau") };
        if (Has(c, "gradient_steps")) p = p with { GradientSteps = Int(c, "gradient_steps") };
        if (Has(c, "train_freq")) p = p with { TrainFreq = Int(c, "train_freq") };
        if (Has(c, "learning_starts")) p = p with { LearningStarts = Int(c, "learning_starts") };
        if (Has(c, "alpha_auto")) p = p with { AutoAlpha = Bool(c, "alpha_auto") };
        if (Has(c, "alpha"))
        {
            if (Has(c, "alpha_auto") && Bool(c, "alpha_auto"))
                throw new ArgumentException(
                    $"REDQ hyperparameter 'alpha' = {ConfigValues.Format(c["alpha"])} is inactive when 'alpha_auto' = true (α is learned); omit it or set 'alpha_auto' = false.", "alpha");
            p = p with { Alpha = Double(c, "alpha") };
        }
        if (Has(c, "ensemble_size")) p = p with { EnsembleSize = Int(c, "ensemble_size") };
        if (Has(c, "subset_size")) p = p with { SubsetSize = Int(c, "subset_size") };
        if (Has(c, "actor_delay")) p = p with { ActorDelay = Int(c, "actor_delay") };
        if (Has(c, "target_mode"))
            p = p with
            {
                TargetMode = String(c, "target_mode") switch
                {
                    "min" => RedqTargetMode.Min,
                    "mean" => RedqTargetMode.Mean,
                    var other => throw new ArgumentException($"REDQ hyperparameter 'target_mode' = '{other}' is unknown; allowed: \"min\", \"mean\".", "target_mode"),
                },
            };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="RedqModule.SearchSpace"/>'s order (<c>alpha</c> omitted with <c>alpha_auto</c>). Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(RedqParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var pairs = new List<KeyValuePair<string, object>>
        {
            new("buffer_size", (long)p.BufferSize),
            new("buffer_batch_size", (long)p.BatchSize),
            new("learning_rate", p.CriticLearningRate),
            new("gamma", p.Gamma),
            new("tau", p.Tau),
            new("gradient_steps", (long)p.GradientSteps),
            new("train_freq", (long)p.TrainFreq),
            new("learning_starts", (long)p.LearningStarts),
            new("alpha_auto", p.AutoAlpha),
        };
        if (!p.AutoAlpha) pairs.Add(new("alpha", p.Alpha));
        pairs.Add(new("ensemble_size", (long)p.EnsembleSize));
        pairs.Add(new("subset_size", (long)p.SubsetSize));
        pairs.Add(new("actor_delay", (long)p.ActorDelay));
        pairs.Add(new("target_mode", p.TargetMode == RedqTargetMode.Min ? "min" : "mean"));
        return new Configuration(pairs);
    }
}
