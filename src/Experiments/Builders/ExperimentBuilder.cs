using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Factories.Optim;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Experiments.Builders;

/// <summary>
/// The fluent builder every algorithm's builder derives from (Tianshou's <c>ExperimentBuilder</c>): configure with
/// <c>With...</c> methods (each returns the builder), then <see cref="Build"/>, which validates everything and returns
/// an <see cref="Experiment"/>.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, so that <c>With...</c> methods return it.</typeparam>
public abstract class ExperimentBuilder<TSelf> where TSelf : ExperimentBuilder<TSelf>
{
    private OptimizerFactory? _optimizerFactory;
    private MetricsLoggerFactory? _loggerFactory;
    private EpochTrainCallback? _trainCallback;
    private EpochTestCallback? _testCallback;
    private EpochStopCallback? _stopCallback;
    private StepCallback? _stepCallback;
    private string? _name;
    private ExperimentServices? _services;
    private RlExperiments.Tuning.Configuration? _hyperparameters;
    private ExperimentConfig _experimentConfig;
    private SamplingConfig _samplingConfig;

    /// <summary>Starts a builder.</summary>
    /// <param name="envFactory">Creates the environments, e.g. <c>new EnvFactory { EnvId = "CartPole-v1" }</c>.</param>
    /// <param name="experimentConfig">The experiment config; null for the defaults.</param>
    /// <param name="samplingConfig">The sampling config; null for the algorithm's defaults.</param>
    protected ExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig, SamplingConfig? samplingConfig)
    {
        EnvFactory = envFactory ?? throw new ArgumentNullException(nameof(envFactory));
        _experimentConfig = experimentConfig ?? new ExperimentConfig();
        _samplingConfig = samplingConfig ?? new SamplingConfig();
    }

    /// <summary>The environment factory.</summary>
    public EnvFactory EnvFactory { get; }

    /// <summary>The experiment config (settable between builds, e.g. to change the seed).</summary>
    public ExperimentConfig ExperimentConfig
    {
        get => _experimentConfig;
        set => _experimentConfig = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The sampling config (settable between builds).</summary>
    public SamplingConfig SamplingConfig
    {
        get => _samplingConfig;
        set => _samplingConfig = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The name set with <see cref="WithName"/>, or null when the experiment takes the default name.</summary>
    public string? Name => _name;

    private TSelf Self => (TSelf)this;

    /// <summary>Stores <paramref name="value"/> (null refused, naming <paramref name="name"/>) in <paramref name="field"/> and returns the builder: the body of every <c>With...</c> method.</summary>
    protected TSelf Set<T>(ref T field, T value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string name = "")
        where T : class?
    {
        field = value ?? throw new ArgumentNullException(name);
        return Self;
    }

    /// <summary>Sets the optimiser of every network (default: each algorithm's Adam).</summary>
    public TSelf WithOptimFactory(OptimizerFactory optimizerFactory) => Set(ref _optimizerFactory, optimizerFactory);

    /// <summary>Uses Adam with the given hyperparameters for every network (Tianshou's <c>with_optim_factory_default</c>).</summary>
    /// <param name="beta1">First-moment decay. Allowed: [0, 1).</param>
    /// <param name="beta2">Second-moment decay. Allowed: [0, 1).</param>
    /// <param name="eps">Denominator ε. Allowed: ≥ 0.</param>
    /// <param name="weightDecay">L2 penalty. Allowed: ≥ 0.</param>
    public TSelf WithOptimFactoryDefault(double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0) =>
        WithOptimFactory(new AdamOptimizerFactory { Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay });

    /// <summary>Uses Adam with the given hyperparameters for every network, betas as a pair as in PyTorch.</summary>
    public TSelf WithOptimFactoryDefault((double Beta1, double Beta2) betas, double eps = 1e-8, double weightDecay = 0) =>
        WithOptimFactoryDefault(betas.Beta1, betas.Beta2, eps, weightDecay);

    /// <summary>Sets the metrics logger (default: TensorBoard event files and progress.csv).</summary>
    public TSelf WithLoggerFactory(MetricsLoggerFactory loggerFactory) => Set(ref _loggerFactory, loggerFactory);

    /// <summary>Sets the callback run at the start of each epoch.</summary>
    public TSelf WithEpochTrainCallback(EpochTrainCallback callback) => Set(ref _trainCallback, callback);

    /// <summary>Sets a lambda run at the start of each epoch (it runs, but <see cref="Experiment.Save"/> cannot persist it).</summary>
    public TSelf WithEpochTrainCallback(Action<int, long, TrainingContext> callback) =>
        WithEpochTrainCallback(new LambdaEpochTrainCallback(callback ?? throw new ArgumentNullException(nameof(callback))));

    /// <summary>Sets the callback run before each test phase.</summary>
    public TSelf WithEpochTestCallback(EpochTestCallback callback) => Set(ref _testCallback, callback);

    /// <summary>Sets a lambda run before each test phase (it runs, but cannot be persisted).</summary>
    public TSelf WithEpochTestCallback(Action<int, long, TrainingContext> callback) =>
        WithEpochTestCallback(new LambdaEpochTestCallback(callback ?? throw new ArgumentNullException(nameof(callback))));

    /// <summary>Sets the stop callback, asked after each test phase.</summary>
    public TSelf WithEpochStopCallback(EpochStopCallback callback) => Set(ref _stopCallback, callback);

    /// <summary>Sets a lambda stop callback (it runs, but cannot be persisted).</summary>
    public TSelf WithEpochStopCallback(Func<EpochInfo, TrainingContext, bool> callback) =>
        WithEpochStopCallback(new LambdaEpochStopCallback(callback ?? throw new ArgumentNullException(nameof(callback))));

    /// <summary>
    /// Sets the per-step callback (Stable-Baselines3's <c>BaseCallback</c>): called on every vector step of the training
    /// environments and after every update; returning false stops training. E.g. <see cref="StepCallbackEval"/>.
    /// </summary>
    public TSelf WithStepCallback(StepCallback callback) => Set(ref _stepCallback, callback);

    /// <summary>Sets a lambda per-step callback (it runs, but cannot be persisted): <paramref name="onStep"/> after every vector step, <paramref name="onUpdate"/> after every update; false stops training.</summary>
    public TSelf WithStepCallback(Func<StepInfo, TrainingContext, bool> onStep, Func<StepInfo, TrainingContext, bool>? onUpdate = null) =>
        WithStepCallback(new LambdaStepCallback(onStep ?? throw new ArgumentNullException(nameof(onStep)), onUpdate));

    /// <summary>Sets the experiment's name, the run directory's name. Default: <c>&lt;Algorithm&gt;Experiment_&lt;yyyyMMdd-HHmmss&gt;</c>.</summary>
    public TSelf WithName(string name)
    {
        FieldCheck.FileName("ExperimentBuilder", "name", name);
        _name = name;
        return Self;
    }

    /// <summary>
    /// Applies a hyperparameter configuration on top of the algorithm's params at <see cref="Build"/>, e.g. a study's
    /// <c>best_params.json</c>: <c>.WithHyperparameters(Configuration.FromJson(File.ReadAllText(path)))</c>. Keys are
    /// ARLBench's names (the algorithm module's <see cref="Algorithms.AlgorithmModule.SearchSpace"/>); keys it lacks keep the params' values. An unknown key or a
    /// value the params reject fails <see cref="Build"/>, naming it.
    /// </summary>
    public TSelf WithHyperparameters(RlExperiments.Tuning.Configuration configuration) => Set(ref _hyperparameters, configuration);

    /// <summary>Sets the runtime services (registry, JSON allow-list, logging); default <see cref="ExperimentServices.Default"/>.</summary>
    public TSelf WithServices(ExperimentServices services) => Set(ref _services, services);

    /// <summary>Creates the algorithm part from the builder's algorithm-specific settings (params, model factories).</summary>
    protected abstract AlgorithmFactory CreateAlgorithmFactory();

    /// <summary>
    /// Validates everything and creates the experiment: both configs and the params (ranges, and settings that do not
    /// apply to the algorithm), the environment id and the algorithm's fit to its spaces, the factories, the callbacks
    /// and the restore directory. Each error names the field and the allowed values.
    /// </summary>
    /// <exception cref="ArgumentException">Something is invalid; the message names it.</exception>
    public Experiment Build()
    {
        var services = _services ?? ExperimentServices.Default;
        ExperimentConfig.Validate();
        SamplingConfig.Validate();
        EnvFactory.Validate();
        var algorithm = CreateAlgorithmFactory() with { OptimizerFactory = _optimizerFactory };
        if (_hyperparameters is { } hyperparameters) algorithm = algorithm.WithConfiguration(hyperparameters);
        algorithm.Validate();
        algorithm.CheckApplicable(SamplingConfig);

        // The environment: its id must be known and its spaces fit the algorithm.
        Environments.EnvSpec spec;
        using (var probe = EnvFactory.Create(1, 0, ExperimentConfig.Seed, services.Registry))
        {
            algorithm.CheckSpaces(probe.ObservationSpace, probe.ActionSpace, probe.EnvId);
            spec = probe.Spec;
        }
        var resolved = algorithm.Resolve(SamplingConfig);
        var notes = algorithm.CheckSettingsGivenOnce(SamplingConfig, resolved.NumTrainEnvs);
        algorithm.ValidateEffective(SamplingConfig, resolved, ExperimentConfig.Train);
        var log = services.Logging.CreateLogger("RlExperiments.Experiments.Build");
        foreach (var note in notes) log.LogInformation("{Note}", note);
        foreach (var warning in algorithm.Warnings(SamplingConfig, resolved)) log.LogWarning("{Warning}", warning);

        var check = new CallbackCheckContext(algorithm, spec);
        _trainCallback?.Validate();
        _trainCallback?.CheckApplicable(check);
        _testCallback?.Validate();
        _testCallback?.CheckApplicable(check);
        _stopCallback?.Validate();
        _stopCallback?.CheckApplicable(check);
        _stepCallback?.Validate();
        _stepCallback?.CheckApplicable(check);

        if (ExperimentConfig.PolicyRestoreDirectory is { } restore && PolicyFile.Find(restore) is null)
            throw new ArgumentException(
                $"ExperimentConfig.PolicyRestoreDirectory = \"{restore}\" is invalid: it holds no {PolicyFile.BestFileName} or {PolicyFile.FinalFileName}; allowed: null or the directory of a run.",
                nameof(ExperimentConfig.PolicyRestoreDirectory));

        var logger = _loggerFactory ?? services.DefaultLoggerFactory;
        logger.Validate();
        var definition = new ExperimentDefinition
        {
            Name = _name ?? string.Create(CultureInfo.InvariantCulture, $"{algorithm.AlgorithmName}Experiment_{DateTime.Now:yyyyMMdd-HHmmss}"),
            Config = ExperimentConfig,
            EnvFactory = EnvFactory,
            Sampling = SamplingConfig,
            Algorithm = algorithm,
            LoggerFactory = logger,
            EpochTrainCallback = _trainCallback,
            EpochTestCallback = _testCallback,
            EpochStopCallback = _stopCallback,
            StepCallback = _stepCallback,
        };
        return new Experiment(definition, services);
    }
}
