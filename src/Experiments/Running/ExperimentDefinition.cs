using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Factories.Logging;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Experiments;

/// <summary>
/// Everything an experiment is made of, as data (what <c>experiment.json</c> holds): its name, the two configs, the
/// environment, algorithm and metrics-logger factories and the epoch callbacks. Two definitions are equal when every
/// field is, so a saved and restored experiment compares equal.
/// </summary>
public sealed record ExperimentDefinition : IValidatable
{
    private readonly IReadOnlyList<string> _droppedCallbacks = [];

    /// <summary>The experiment's name: the run directory under <see cref="ExperimentConfig.PersistenceBaseDir"/>. Required. Allowed: a plain file name.</summary>
    public required string Name { get; init; }

    /// <summary>How the experiment runs (seed, device, train/watch, persistence). Required.</summary>
    public required ExperimentConfig Config { get; init; }

    /// <summary>Creates the environments. Required.</summary>
    public required EnvFactory EnvFactory { get; init; }

    /// <summary>How data is collected (epochs, environments, batch size, ...); null fields take the algorithm's defaults. Required.</summary>
    public required SamplingConfig Sampling { get; init; }

    /// <summary>The algorithm, its params and model and optimiser factories. Required.</summary>
    public required AlgorithmFactory Algorithm { get; init; }

    /// <summary>Creates the metrics sink (TensorBoard and progress.csv by default). Required.</summary>
    public required MetricsLoggerFactory LoggerFactory { get; init; }

    /// <summary>Runs at the start of each epoch, or null.</summary>
    public EpochTrainCallback? EpochTrainCallback { get; init; }

    /// <summary>Runs before each test phase, or null.</summary>
    public EpochTestCallback? EpochTestCallback { get; init; }

    /// <summary>Decides after each test phase whether to stop, or null.</summary>
    public EpochStopCallback? EpochStopCallback { get; init; }

    /// <summary>The per-step callback (called on every vector step and update; false stops training), or null.</summary>
    public StepCallback? StepCallback { get; init; }

    /// <summary>
    /// Callbacks the experiment had when it was saved but that could not be saved (lambdas, or types not on the
    /// allow-list), described; a restored experiment runs without them. Default: empty.
    /// </summary>
    public IReadOnlyList<string> DroppedCallbacks
    {
        get => _droppedCallbacks;
        init => _droppedCallbacks = value is null ? [] : Array.AsReadOnly(value.ToArray());
    }

    /// <inheritdoc />
    public void Validate()
    {
        const string o = nameof(ExperimentDefinition);
        FieldCheck.FileName(o, nameof(Name), Name);
        Require(Config, nameof(Config));
        Require(EnvFactory, nameof(EnvFactory));
        Require(Sampling, nameof(Sampling));
        Require(Algorithm, nameof(Algorithm));
        Require(LoggerFactory, nameof(LoggerFactory));
        Config.Validate();
        EnvFactory.Validate();
        Sampling.Validate();
        Algorithm.Validate();
        Algorithm.CheckApplicable(Sampling);
        LoggerFactory.Validate();
        EpochTrainCallback?.Validate();
        EpochTestCallback?.Validate();
        EpochStopCallback?.Validate();
        StepCallback?.Validate();
    }

    private static void Require(object? value, string field)
    {
        if (value is null)
            throw new ArgumentException($"{nameof(ExperimentDefinition)}.{field} = null is invalid; allowed: a value.", field);
    }

    /// <summary>Field-by-field equality (the dropped-callback list by content).</summary>
    public bool Equals(ExperimentDefinition? other) =>
        other is not null && Name == other.Name && Equals(Config, other.Config) && Equals(EnvFactory, other.EnvFactory) &&
        Equals(Sampling, other.Sampling) && Equals(Algorithm, other.Algorithm) && Equals(LoggerFactory, other.LoggerFactory) &&
        Equals(EpochTrainCallback, other.EpochTrainCallback) && Equals(EpochTestCallback, other.EpochTestCallback) &&
        Equals(EpochStopCallback, other.EpochStopCallback) && Equals(StepCallback, other.StepCallback) && DroppedCallbacks.SequenceEqual(other.DroppedCallbacks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Config, EnvFactory, Sampling, Algorithm, LoggerFactory, EpochStopCallback);
}
