using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments.Vector;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Experiments.Logging;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Factories;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
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
        Equals(EpochStopCallback, other.EpochStopCallback) && DroppedCallbacks.SequenceEqual(other.DroppedCallbacks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Config, EnvFactory, Sampling, Algorithm, LoggerFactory, EpochStopCallback);
}

/// <summary>
/// A built experiment (Tianshou's <c>Experiment</c>): an <see cref="ExperimentDefinition"/> (data, saved as
/// <c>experiment.json</c>) plus the runtime services it runs with. <see cref="Run"/> trains and returns the live
/// <see cref="World"/>; <see cref="Save"/> and <see cref="FromDirectory"/> persist and restore it.
/// </summary>
/// <remarks>
/// <para><b>Run directory</b> (<c>&lt;PersistenceBaseDir&gt;/&lt;name&gt;/</c>): <c>experiment.json</c> (this experiment),
/// <c>log.txt</c> (the run's log), <c>policy.safetensors</c> (the best policy by mean test return, rewritten at each new
/// best), <c>policy_final.safetensors</c> (the policy after the last epoch), <c>events.out.tfevents.*</c> (TensorBoard
/// scalars), <c>progress.csv</c> (the same scalars) and <c>result.json</c> (the summary). Every file is written
/// atomically (or, for the append-only logs, line by line).</para>
/// <para><b>Restore</b> means evaluate or warm-start a saved policy, as in Tianshou: the networks (and PPO's
/// observation statistics) are restored, the optimiser state, replay buffer and counters are not.</para>
/// </remarks>
public sealed class Experiment
{
    /// <summary>The file an experiment is saved to inside a directory.</summary>
    public const string FileName = "experiment.json";

    /// <summary>The run summary written at the end of a run.</summary>
    public const string ResultFileName = "result.json";

    /// <summary>The run's log file.</summary>
    public const string LogFileName = "log.txt";

    /// <summary>Wraps <paramref name="definition"/> (validated here) with <paramref name="services"/>.</summary>
    /// <exception cref="ArgumentException">A field of the definition is invalid (the message names it).</exception>
    public Experiment(ExperimentDefinition definition, ExperimentServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        Definition = definition;
        Services = services ?? ExperimentServices.Default;
    }

    /// <summary>The experiment as data.</summary>
    public ExperimentDefinition Definition { get; }

    /// <summary>The services it runs with (not saved).</summary>
    public ExperimentServices Services { get; }

    /// <summary>The experiment's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The experiment config.</summary>
    public ExperimentConfig Config => Definition.Config;

    /// <summary>The sampling config (null fields take the algorithm's defaults; see <see cref="ResolvedSampling"/>).</summary>
    public SamplingConfig SamplingConfig => Definition.Sampling;

    /// <summary>The sampling values the run uses, with the algorithm's defaults filled in.</summary>
    public ResolvedSampling ResolvedSampling => Definition.Algorithm.Resolve(Definition.Sampling);

    /// <summary>A copy with another config (e.g. <c>c =&gt; c with { Train = false }</c> after <see cref="FromDirectory"/>).</summary>
    public Experiment WithConfig(Func<ExperimentConfig, ExperimentConfig> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new Experiment(Definition with { Config = change(Definition.Config) }, Services);
    }

    /// <summary>
    /// A copy whose algorithm params take <paramref name="configuration"/>'s hyperparameters (e.g. the best of a study,
    /// <see cref="Tuning.StudyResult.BestConfiguration"/>); see <see cref="AlgorithmFactory.WithConfiguration"/>.
    /// </summary>
    public Experiment WithHyperparameters(Tuning.Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new Experiment(Definition with { Algorithm = Definition.Algorithm.WithConfiguration(configuration) }, Services);
    }

    /// <summary>A copy that runs with other services (e.g. the DI container's).</summary>
    public Experiment WithServices(ExperimentServices services) => new(Definition, services ?? throw new ArgumentNullException(nameof(services)));

    /// <summary>
    /// The callbacks that cannot be saved, described (e.g. <c>"EpochStopCallback: lambda Program.&lt;Main&gt;b__0_0"</c>):
    /// lambdas, and callback types not on the allow-list.
    /// </summary>
    public IReadOnlyList<string> UnpersistableCallbacks
    {
        get
        {
            var list = new List<string>();
            Check(Definition.EpochTrainCallback, nameof(ExperimentDefinition.EpochTrainCallback));
            Check(Definition.EpochTestCallback, nameof(ExperimentDefinition.EpochTestCallback));
            Check(Definition.EpochStopCallback, nameof(ExperimentDefinition.EpochStopCallback));
            return list;

            void Check(object? callback, string member)
            {
                if (callback is ICodeCallback code)
                    list.Add($"{member}: {code.Description} (code, not data)");
                else if (callback is not null && !Services.Json.AllowList.IsAllowed(callback.GetType()))
                    list.Add($"{member}: {callback.GetType().Name} (not on the allow-list; allow it with TypeAllowList.Allow<{callback.GetType().Name}>() or services.AddRlExperiments(o => o.AllowType<{callback.GetType().Name}>()))");
            }
        }
    }

    /// <summary>
    /// Writes <c>experiment.json</c> into <paramref name="directory"/> (created when missing), atomically.
    /// </summary>
    /// <param name="directory">The target directory.</param>
    /// <param name="dropUnpersistableCallbacks">
    /// When false (the default), an experiment with a callback that cannot be saved (see <see cref="UnpersistableCallbacks"/>)
    /// is refused with a message naming it. When true it is saved without them, and the file lists them under
    /// <c>droppedCallbacks</c> so the restored experiment says what it lacks.
    /// </param>
    /// <exception cref="InvalidOperationException">A callback cannot be saved (and <paramref name="dropUnpersistableCallbacks"/> is false), or a type is not on the allow-list.</exception>
    public void Save(string directory, bool dropUnpersistableCallbacks = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Services.Json.WriteFile(Path.Combine(directory, FileName), Persistable(dropUnpersistableCallbacks));
    }

    private ExperimentDefinition Persistable(bool drop)
    {
        var dropped = UnpersistableCallbacks;
        if (dropped.Count == 0) return Definition;
        if (!drop)
            throw new InvalidOperationException(
                $"Cannot save experiment '{Name}': {string.Join("; ", dropped)} cannot be persisted. Replace it with a named callback " +
                "record (e.g. EpochStopCallbackRewardThreshold, or your own allow-listed type), or call Save(directory, dropUnpersistableCallbacks: true) " +
                "to save without it (the restored experiment will lack it; experiment.json lists it under droppedCallbacks).");
        bool Keep(object? c) => c is not null && c is not ICodeCallback && Services.Json.AllowList.IsAllowed(c.GetType());
        return Definition with
        {
            EpochTrainCallback = Keep(Definition.EpochTrainCallback) ? Definition.EpochTrainCallback : null,
            EpochTestCallback = Keep(Definition.EpochTestCallback) ? Definition.EpochTestCallback : null,
            EpochStopCallback = Keep(Definition.EpochStopCallback) ? Definition.EpochStopCallback : null,
            DroppedCallbacks = [.. Definition.DroppedCallbacks, .. dropped],
        };
    }

    /// <summary>
    /// Restores an experiment saved by <see cref="Save"/> or by a run (Tianshou's <c>Experiment.from_directory</c>).
    /// Nothing is created: the file and, with <paramref name="restorePolicy"/>, the policy file are read and checked.
    /// </summary>
    /// <param name="directory">The directory holding <c>experiment.json</c>.</param>
    /// <param name="restorePolicy">
    /// When true (the default), <see cref="ExperimentConfig.PolicyRestoreDirectory"/> is set to <paramref name="directory"/>,
    /// so a run starts from the saved policy (<c>policy.safetensors</c>, else <c>policy_final.safetensors</c>), which must exist and be intact.
    /// </param>
    /// <param name="services">The services to run with; <see cref="ExperimentServices.Default"/> when null (its allow-list decides which types may be read).</param>
    /// <exception cref="FileNotFoundException">There is no experiment.json.</exception>
    /// <exception cref="ExperimentJsonException">experiment.json is invalid: a type not on the allow-list, an unknown format version, a missing or unknown field, an invalid value.</exception>
    /// <exception cref="InvalidDataException">The policy file is missing or damaged.</exception>
    public static Experiment FromDirectory(string directory, bool restorePolicy = true, ExperimentServices? services = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        services ??= ExperimentServices.Default;
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{directory}' holds no {FileName}; expected the directory of a saved experiment or run.", path);
        var definition = services.Json.ReadFile<ExperimentDefinition>(path);
        if (restorePolicy)
        {
            var policy = PolicyFile.Find(directory)
                ?? throw new InvalidDataException(
                    $"'{directory}' holds no {PolicyFile.BestFileName} or {PolicyFile.FinalFileName}, so there is no policy to restore; pass restorePolicy: false to restore only the experiment.");
            PolicyFile.Read(policy);
            definition = definition with { Config = definition.Config with { PolicyRestoreDirectory = directory } };
        }
        return new Experiment(definition, services) { SourceDirectory = Path.GetFullPath(directory) };
    }

    /// <summary>The directory this experiment was restored from by <see cref="FromDirectory"/>, or null.</summary>
    public string? SourceDirectory { get; private init; }

    /// <summary>
    /// Continues an interrupted run from its newest intact checkpoint (see <see cref="ExperimentConfig.CheckpointEveryEpochs"/>),
    /// exactly: agent (networks incl. targets, optimisers, replay buffer, RNG streams), trainer counters, environment
    /// states and normaliser statistics are restored, progress.csv keeps its rows up to the checkpoint's env step and
    /// continues, TensorBoard gets a new events file (TensorBoard merges them). A resumed run produces the same rewards,
    /// losses and weights as an uninterrupted one with the same seed. A newest checkpoint that is corrupt or incomplete is
    /// skipped with a warning in the log naming it.
    /// </summary>
    /// <param name="directory">The run directory; default: the directory given to <see cref="FromDirectory"/>, else <c>&lt;PersistenceBaseDir&gt;/&lt;Name&gt;</c>.</param>
    /// <exception cref="InvalidOperationException">There is no intact checkpoint, or this experiment differs from the checkpointed one in a way that changes training (the message names the fields).</exception>
    public ExperimentResult Resume(string? directory = null)
    {
        var dir = Path.GetFullPath(directory ?? SourceDirectory ?? Path.Combine(Config.PersistenceBaseDir, Name));
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Cannot resume: the run directory '{dir}' does not exist.");
        var experiment = Definition.Config.PolicyRestoreDirectory is null ? this : WithConfig(c => c with { PolicyRestoreDirectory = null });
        return experiment.RunCore(Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)), null, overwrite: true, resumeDirectory: dir);
    }

    /// <summary>
    /// Runs the experiment (Tianshou's <c>Experiment.run</c>): creates the run directory (an error if it exists, unless
    /// <paramref name="overwrite"/>), writes <c>experiment.json</c>, trains (when <see cref="ExperimentConfig.Train"/>),
    /// saves the policy, evaluates the saved policy, watches it (when <see cref="ExperimentConfig.Watch"/>) and writes
    /// <c>result.json</c>. Everything that can fail on bad input (a restored policy that does not fit, an existing
    /// directory) fails before the directory is created.
    /// </summary>
    /// <remarks>
    /// After training, the agent holds the best policy by mean test return (the one in <c>policy.safetensors</c>), not
    /// the last; <c>policy_final.safetensors</c> holds the last. That policy is then evaluated deterministically on
    /// freshly seeded test environments (<see cref="ExperimentResult.PolicyTestReturn"/>, also in result.json), so
    /// restoring it and running with <c>Train = false</c> reproduces that return exactly, as watching reproduces the
    /// watch return.
    /// </remarks>
    /// <param name="experimentName">Overrides the experiment's name (the run directory's name).</param>
    /// <param name="loggerRunId">An identifier of this run, recorded in the log and in result.json.</param>
    /// <param name="overwrite">Reuse an existing run directory, replacing the files a run writes.</param>
    /// <exception cref="IOException">The run directory exists and <paramref name="overwrite"/> is false.</exception>
    public ExperimentResult Run(string? experimentName = null, string? loggerRunId = null, bool overwrite = false) =>
        RunCore(experimentName, loggerRunId, overwrite, resumeDirectory: null);

    private ExperimentResult RunCore(string? experimentName, string? loggerRunId, bool overwrite, string? resumeDirectory)
    {
        var def = Definition;
        var name = experimentName ?? def.Name;
        FieldCheck.FileName(nameof(Experiment), "experimentName", name);
        var config = def.Config;
        var algorithm = def.Algorithm;
        var resolved = algorithm.Resolve(def.Sampling);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();

        // 1. Everything that can fail on input, before anything is created.
        SafeTensorsFile? restoreFile = null;
        string? restorePath = null;
        if (config.PolicyRestoreDirectory is { } restoreDir)
        {
            restorePath = PolicyFile.Find(restoreDir)
                ?? throw new InvalidDataException($"ExperimentConfig.PolicyRestoreDirectory '{restoreDir}' holds no {PolicyFile.BestFileName} or {PolicyFile.FinalFileName}.");
            restoreFile = PolicyFile.Read(restorePath);
        }
        var directory = resumeDirectory ?? (config.PersistenceEnabled ? Path.GetFullPath(Path.Combine(config.PersistenceBaseDir, name)) : null);
        if (resumeDirectory is null && directory is not null && Directory.Exists(directory) && !overwrite)
            throw new IOException(
                $"The run directory '{directory}' already exists. Choose another name (WithName, or Run(experimentName: ...)), delete it, or pass overwrite: true.");

        var envs = def.EnvFactory.Create(resolved.NumTrainEnvs, resolved.NumTestEnvs, config.Seed, Services.Registry);
        RunLoggerFactory? runLogging = null;
        IMetricsSink? metrics = null;
        try
        {
            algorithm.CheckSpaces(envs.ObservationSpace, envs.ActionSpace, envs.EnvId);
            var agent = algorithm.CreateAgent(envs.ObservationSpace, envs.ActionSpace, def.Sampling, resolved, config.Seed);
            if (restoreFile is not null) PolicyFile.Load(restoreFile, restorePath!, agent, algorithm.AlgorithmName);

            // 2. The directory, the log and experiment.json.
            FileLoggerProvider? file = null;
            if (directory is not null)
            {
                if (Directory.Exists(directory) && resumeDirectory is null) DeleteRunFiles(directory);
                Directory.CreateDirectory(directory);
                if (config.LogFileEnabled) file = new FileLoggerProvider(Path.Combine(directory, LogFileName));
            }
            runLogging = new RunLoggerFactory(Services.Logging, file);
            var logger = runLogging.CreateLogger("RlExperiments.Experiment");
            logger.LogInformation("Experiment {Name}{RunId}: {Algorithm} on {Env}, seed {Seed}; {Envs}", name,
                loggerRunId is null ? "" : $" (run {loggerRunId})", algorithm.AlgorithmName, envs.EnvId, config.Seed, envs);
            logger.LogInformation("Sampling: {Sampling}", resolved);
            if (directory is not null)
            {
                var persisted = Persistable(drop: true);
                foreach (var dropped in persisted.DroppedCallbacks.Except(def.DroppedCallbacks))
                    logger.LogWarning("Not saved in {File}: {Callback}; a restored experiment will run without it.", FileName, dropped);
                Services.Json.WriteFile(Path.Combine(directory, FileName), persisted with { Name = name });
                logger.LogInformation("Run directory: {Directory}", directory);
            }
            foreach (var lacking in def.DroppedCallbacks)
                logger.LogWarning("This experiment was saved without a callback it had: {Callback}.", lacking);
            if (restorePath is not null) logger.LogInformation("Restored the policy from {Path}", restorePath);

            ResumePoint? resume = null;
            if (resumeDirectory is not null)
            {
                resume = LoadResumePoint(resumeDirectory, name, agent, envs, logger);
                logger.LogInformation("Resuming from the checkpoint {Directory} (epoch {Epoch}, env step {Step})", resume.Directory, resume.Trainer.Epoch, resume.Trainer.EnvSteps);
            }

            metrics = directory is null ? NullMetricsSink.Instance
                : resume is not null ? def.LoggerFactory.CreateResumed(directory, runLogging, resume.Trainer.EnvSteps)
                : def.LoggerFactory.Create(directory, runLogging);
            var world = new World(envs, agent, metrics, logger, directory, config.PolicyRestoreDirectory);

            // 3. Train, saving the best policy as it improves.
            TrainerResult? trainerResult = null;
            if (config.Train)
                trainerResult = Train(world, resolved, directory, logger, name, resume);

            // 4. Evaluate the policy the agent now holds (the saved one) on freshly seeded test environments.
            var policyTest = double.NaN;
            if (envs.Test is not null && resolved.NumTestEpisodes > 0)
            {
                policyTest = new Evaluator(envs.Test).Evaluate(agent, resolved.NumTestEpisodes, deterministic: true, seed: envs.Seeds.Test).Mean;
                logger.LogInformation("Policy test return: {Return} (mean of {Episodes} deterministic episodes, test seed {Seed})",
                    policyTest.ToString("0.###", CultureInfo.InvariantCulture), resolved.NumTestEpisodes, envs.Seeds.Test);
            }

            // 5. Watch.
            EvaluationResult? watch = null;
            if (config.Watch)
            {
                watch = new Evaluator(new SequentialVectorEnv([envs.Watch]))
                    .Evaluate(agent, config.WatchNumEpisodes, deterministic: true, seed: envs.Seeds.Watch);
                logger.LogInformation("Watch: return {Mean} ± {Std} over {Episodes} episodes (lengths {Length})",
                    watch.Mean.ToString("0.###", CultureInfo.InvariantCulture), watch.Std.ToString("0.###", CultureInfo.InvariantCulture),
                    config.WatchNumEpisodes, watch.MeanLength.ToString("0.#", CultureInfo.InvariantCulture));
            }

            var summary = new RunSummary
            {
                ExperimentName = name,
                LoggerRunId = loggerRunId,
                Algorithm = algorithm.AlgorithmName,
                EnvId = envs.EnvId,
                Seed = config.Seed,
                Trained = trainerResult is not null,
                RestoredFrom = config.PolicyRestoreDirectory,
                BestTestReturn = trainerResult?.BestTestReturn ?? double.NaN,
                BestEpoch = trainerResult?.BestEpoch ?? -1,
                LastTestReturn = trainerResult?.LastTestReturn ?? double.NaN,
                PolicyTestReturn = policyTest,
                WatchReturnMean = watch?.Mean ?? double.NaN,
                EnvSteps = trainerResult?.EnvSteps ?? 0,
                GradientSteps = trainerResult?.GradientSteps ?? 0,
                Epochs = trainerResult?.Epochs ?? 0,
                StoppedByCallback = trainerResult?.StoppedByCallback ?? false,
                TrainWallTimeSeconds = trainerResult?.WallTime.TotalSeconds ?? 0,
                WallTimeSeconds = clock.Elapsed.TotalSeconds,
                StartedUtc = started.ToString("O", CultureInfo.InvariantCulture),
                FinishedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            };
            if (directory is not null) Services.Json.WriteFile(Path.Combine(directory, ResultFileName), summary);
            logger.LogInformation("Finished in {Seconds} s{Dir}", clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                directory is null ? "" : $"; results in {directory}");
            return new ExperimentResult(world, trainerResult, policyTest, watch, summary);
        }
        catch (Exception ex)
        {
            runLogging?.CreateLogger("RlExperiments.Experiment").LogError(ex, "The run failed: {Message}", ex.Message);
            envs.Dispose();
            throw;
        }
        finally
        {
            (metrics as IDisposable)?.Dispose();
            runLogging?.Dispose();
        }
    }

    private TrainerResult Train(World world, ResolvedSampling resolved, string? directory, ILogger logger, string name, ResumePoint? resume)
    {
        var def = Definition;
        var mode = def.Config.PolicyPersistenceMode;
        var agent = world.Agent;
        var algorithm = def.Algorithm;
        var progress = new ProgressDisplay(world.Metrics, logger, resolved.NumEpochs, resolved.TotalSteps, ProgressDisplay.ConsoleIsInteractive);
        var context = new TrainingContext(agent, world.Envs, progress, logger);
        PolicySnapshot? best = resume?.Best;
        var bestReturn = resume?.BestReturn ?? double.NaN;
        var every = def.Config.CheckpointEveryEpochs;
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = def.EpochTrainCallback is { } train ? (epoch, step) => train.OnEpochTrain(epoch, step, context) : null,
            OnEpochTest = def.EpochTestCallback is { } test ? (epoch, step) => test.OnEpochTest(epoch, step, context) : null,
            ShouldStop = def.EpochStopCallback is { } stop ? info => stop.ShouldStop(info, context) : null,
            OnEpochEnd = info =>
            {
                if (!double.IsNaN(info.TestReturnMean) && (double.IsNaN(bestReturn) || info.TestReturnMean > bestReturn))
                {
                    bestReturn = info.TestReturnMean;
                    best = PolicyFile.Snapshot(agent);
                    if (directory is not null && mode != PolicyPersistenceMode.Final)
                        PolicyFile.Save(Path.Combine(directory, PolicyFile.BestFileName), agent, algorithm.AlgorithmName);
                }
                if (directory is not null && every > 0 && info.Epoch % every == 0)
                    WriteCheckpoint(directory, name, world, world.Trainer!, bestReturn, best, logger);
                progress.EpochEnded(info);
            },
        };
        var stochasticTest = def.EpochTestCallback?.RequiresStochasticTest ?? false;
        var trainerConfig = new TrainerConfig(resolved.NumEpochs, resolved.EpochNumSteps, resolved.NumTestEpisodes, DeterministicEval: !stochasticTest);
        var envs = world.Envs;
        var view = new EnvironmentSetView(envs.Train, envs.Test, envs.Seeds);
        var trainer = algorithm.CreateTrainer(agent, view, trainerConfig, callbacks, progress);
        world.Trainer = trainer;
        if (resume is not null) trainer.Resume(resume.Trainer);
        TrainerResult result;
        try
        {
            result = trainer.Run();
        }
        finally
        {
            progress.Clear();
        }
        if (directory is not null && mode != PolicyPersistenceMode.Best)
            PolicyFile.Save(Path.Combine(directory, PolicyFile.FinalFileName), agent, algorithm.AlgorithmName);
        if (best is not null)
        {
            PolicyFile.RestoreSnapshot(agent, best);
        }
        else if (directory is not null && mode != PolicyPersistenceMode.Final)
        {
            PolicyFile.Save(Path.Combine(directory, PolicyFile.BestFileName), agent, algorithm.AlgorithmName);
        }
        logger.LogInformation(
            "Training done: {Epochs} epochs, {EnvSteps} env steps, {GradientSteps} gradient steps in {Seconds} s; best test return {Best} (epoch {BestEpoch}), last {Last}{Stopped}",
            result.Epochs, result.EnvSteps, result.GradientSteps, result.WallTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            result.BestTestReturn.ToString("0.###", CultureInfo.InvariantCulture), result.BestEpoch,
            result.LastTestReturn.ToString("0.###", CultureInfo.InvariantCulture), result.StoppedByCallback ? "; stopped by the stop callback" : "");
        return result;
    }

    private const string CheckpointFormat = "rlexperiments.run-checkpoint/1";
    private const string CheckpointStateFile = "run.json";
    private const string CheckpointEnvsFile = "envs.bin";
    private const string CheckpointAgentDir = "agent";

    /// <summary>What a resumed run starts from.</summary>
    private sealed record ResumePoint(string Directory, TrainerState Trainer, double BestReturn, PolicySnapshot? Best);

    /// <summary>The run-level part of a checkpoint (run.json).</summary>
    private sealed record RunCheckpointState(string Format, string Algorithm, TrainerState Trainer, double BestReturn,
        Dictionary<string, float[]>? BestWeights, Environments.Wrappers.RunningMeanStdState? BestObservationStatistics);

    private void WriteCheckpoint(string directory, string name, World world, ITrainer trainer, double bestReturn, PolicySnapshot? best, ILogger logger)
    {
        var state = trainer.GetState();
        try
        {
            var path = RunCheckpoints.Write(directory, state.EnvSteps, tmp =>
            {
                SaveAgentCheckpoint(world.Agent, Path.Combine(tmp, CheckpointAgentDir));
                using (var stream = new FileStream(Path.Combine(tmp, CheckpointEnvsFile), FileMode.CreateNew, FileAccess.Write))
                using (var writer = new BinaryWriter(stream))
                {
                    world.Envs.Train.WriteCheckpointState(writer);
                    writer.Write(world.Envs.Test is not null);
                    world.Envs.Test?.WriteCheckpointState(writer);
                }
                var run = new RunCheckpointState(CheckpointFormat, Definition.Algorithm.AlgorithmName, state, bestReturn, best?.Weights, best?.ObservationStatistics);
                File.WriteAllText(Path.Combine(tmp, CheckpointStateFile), System.Text.Json.JsonSerializer.Serialize(run, RunCheckpoints.JsonOptions));
                File.WriteAllText(Path.Combine(tmp, FileName), Services.Json.Serialize(Persistable(drop: true) with { Name = name }));
            }, Definition.Config.KeepCheckpoints);
            logger.LogInformation("Checkpoint at epoch {Epoch}, env step {Step}: {Path}", state.Epoch, state.EnvSteps, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"Writing the checkpoint at env step {state.EnvSteps} (epoch {state.Epoch}) into '{Path.Combine(directory, RunCheckpoints.DirectoryName)}' failed: {ex.Message} " +
                "Training stopped; the previous checkpoints are intact (resume with Experiment.FromDirectory(dir).Resume()).", ex);
        }
    }

    internal static void SaveAgentCheckpoint(IAgent agent, string dir) => Checkpointable(agent).SaveCheckpoint(dir);

    internal static void LoadAgentCheckpoint(IAgent agent, string dir) => Checkpointable(agent).LoadCheckpoint(dir);

    private static ICheckpointable Checkpointable(IAgent agent) =>
        agent as ICheckpointable ?? throw new NotSupportedException($"{agent.GetType().Name} cannot be checkpointed.");

    private ResumePoint LoadResumePoint(string directory, string name, IAgent agent, Factories.EnvironmentSet envs, ILogger logger)
    {
        var found = RunCheckpoints.FindLatestIntact(directory, logger)
            ?? throw new InvalidOperationException(
                $"Cannot resume '{directory}': it holds no intact checkpoint under {RunCheckpoints.DirectoryName}/ (set ExperimentConfig.CheckpointEveryEpochs to write them).");
        var dir = found.Directory;
        var saved = Services.Json.Deserialize<ExperimentDefinition>(File.ReadAllText(Path.Combine(dir, FileName)), source: Path.Combine(dir, FileName));
        var current = Persistable(drop: true) with { Name = name };
        var differences = CheckpointCompatibility.Differences(Services.Json.Serialize(saved), Services.Json.Serialize(current));
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"Cannot resume '{directory}' from {dir}: the experiment differs from the checkpointed one in what training depends on: " +
                string.Join("; ", differences) + ". Resume with the original experiment.json, or start a new run.");
        var run = System.Text.Json.JsonSerializer.Deserialize<RunCheckpointState>(File.ReadAllText(Path.Combine(dir, CheckpointStateFile)), RunCheckpoints.JsonOptions)
            ?? throw new InvalidDataException($"'{dir}': {CheckpointStateFile} is empty.");
        if (run.Format != CheckpointFormat)
            throw new InvalidDataException($"'{dir}': {CheckpointStateFile} has format '{run.Format}'; expected '{CheckpointFormat}'.");
        LoadAgentCheckpoint(agent, Path.Combine(dir, CheckpointAgentDir));
        using (var stream = File.OpenRead(Path.Combine(dir, CheckpointEnvsFile)))
        using (var reader = new BinaryReader(stream))
        {
            envs.Train.ReadCheckpointState(reader);
            if (reader.ReadBoolean()) envs.Test?.ReadCheckpointState(reader);
        }
        var best = run.BestWeights is null ? null : new PolicySnapshot(run.BestWeights, run.BestObservationStatistics);
        return new ResumePoint(dir, run.Trainer, run.BestReturn, best);
    }

    private static void DeleteRunFiles(string directory)
    {
        foreach (var name in new[] { FileName, LogFileName, ResultFileName, PolicyFile.BestFileName, PolicyFile.FinalFileName, CsvWriter.DefaultFileName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) File.Delete(path);
        }
        foreach (var events in Directory.EnumerateFiles(directory, TensorBoardWriter.FilePrefix + "*"))
            File.Delete(events);
    }

    /// <inheritdoc />
    public override string ToString() => Definition.ToString();
}

/// <summary>
/// The live objects of a run (Tianshou's <c>World</c>): environments, agent, trainer, metrics sink, logger and
/// directories. Not serialisable. Dispose it (or the <see cref="ExperimentResult"/>) to release the environments.
/// </summary>
public sealed class World : IDisposable
{
    internal World(Factories.EnvironmentSet envs, IAgent agent, IMetricsSink metrics, ILogger logger, string? persistDirectory, string? restoreDirectory)
    {
        Envs = envs;
        Agent = agent;
        Metrics = metrics;
        Logger = logger;
        PersistDirectory = persistDirectory;
        RestoreDirectory = restoreDirectory;
    }

    /// <summary>The environments (training, test, watch).</summary>
    public Factories.EnvironmentSet Envs { get; }

    /// <summary>The agent; after a run it holds the best policy (see <see cref="Experiment.Run"/>).</summary>
    public IAgent Agent { get; }

    /// <summary>The trainer (an <see cref="OffPolicyTrainer"/> or <see cref="OnPolicyTrainer"/>), or null when the run did not train.</summary>
    public ITrainer? Trainer { get; internal set; }

    /// <summary>The metrics sink (closed when the run ends).</summary>
    public IMetricsSink Metrics { get; }

    /// <summary>The run's logger (its log.txt is closed when the run ends).</summary>
    public ILogger Logger { get; }

    /// <summary>The run directory, or null without persistence.</summary>
    public string? PersistDirectory { get; }

    /// <summary>The directory the policy was restored from, or null.</summary>
    public string? RestoreDirectory { get; }

    /// <summary>Disposes the environments.</summary>
    public void Dispose() => Envs.Dispose();
}

/// <summary>What <see cref="Experiment.Run"/> returns (Tianshou's <c>ExperimentResult</c>). Dispose it to release the environments.</summary>
public sealed class ExperimentResult : IDisposable
{
    internal ExperimentResult(World world, TrainerResult? trainerResult, double policyTestReturn, EvaluationResult? watch, RunSummary summary)
    {
        World = world;
        TrainerResult = trainerResult;
        PolicyTestReturn = policyTestReturn;
        WatchResult = watch;
        Summary = summary;
    }

    /// <summary>The live objects of the run.</summary>
    public World World { get; }

    /// <summary>The training outcome (best and last test return, steps, wall time, whether the stop callback fired), or null when the run did not train.</summary>
    public TrainerResult? TrainerResult { get; }

    /// <summary>
    /// The mean return of the policy the run ended with (the saved best policy) over the test episodes, deterministic, on
    /// test environments reset with the run's test seed; NaN without test episodes. Restoring the policy reproduces it.
    /// </summary>
    public double PolicyTestReturn { get; }

    /// <summary>The watch episodes, or null when the run did not watch.</summary>
    public EvaluationResult? WatchResult { get; }

    /// <summary>The summary written to result.json.</summary>
    public RunSummary Summary { get; }

    /// <summary>The run directory, or null without persistence.</summary>
    public string? Directory => World.PersistDirectory;

    /// <summary>Disposes the world.</summary>
    public void Dispose() => World.Dispose();
}

/// <summary>The summary of a run, written to <c>result.json</c>.</summary>
public sealed record RunSummary
{
    /// <summary>The experiment's (run directory's) name.</summary>
    public required string ExperimentName { get; init; }

    /// <summary>The run id passed to <see cref="Experiment.Run"/>, or null.</summary>
    public string? LoggerRunId { get; init; }

    /// <summary>"DQN", "PPO" or "SAC".</summary>
    public required string Algorithm { get; init; }

    /// <summary>The environment id.</summary>
    public required string EnvId { get; init; }

    /// <summary>The experiment seed.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the run trained.</summary>
    public bool Trained { get; init; }

    /// <summary>The directory the policy was restored from, or null.</summary>
    public string? RestoredFrom { get; init; }

    /// <summary>The best mean test return during training (NaN without training or testing).</summary>
    public double BestTestReturn { get; init; }

    /// <summary>The epoch of the best test return (−1 when none).</summary>
    public int BestEpoch { get; init; }

    /// <summary>The last mean test return during training (NaN without training or testing).</summary>
    public double LastTestReturn { get; init; }

    /// <summary>The saved policy's deterministic mean return on freshly seeded test environments (see <see cref="ExperimentResult.PolicyTestReturn"/>).</summary>
    public double PolicyTestReturn { get; init; }

    /// <summary>The mean return of the watch episodes (NaN without watching).</summary>
    public double WatchReturnMean { get; init; }

    /// <summary>Environment steps taken in training.</summary>
    public long EnvSteps { get; init; }

    /// <summary>Gradient steps applied in training.</summary>
    public long GradientSteps { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; init; }

    /// <summary>Whether the stop callback ended training early.</summary>
    public bool StoppedByCallback { get; init; }

    /// <summary>Wall-clock seconds of training (tests included).</summary>
    public double TrainWallTimeSeconds { get; init; }

    /// <summary>Wall-clock seconds of the whole run.</summary>
    public double WallTimeSeconds { get; init; }

    /// <summary>When the run started (UTC, ISO 8601).</summary>
    public required string StartedUtc { get; init; }

    /// <summary>When the run finished (UTC, ISO 8601).</summary>
    public required string FinishedUtc { get; init; }
}
