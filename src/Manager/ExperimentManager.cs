using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Core;
using RlExperiments.Environments.Vector;
using RlExperiments.AutoRL;
using RlExperiments.Experiments.Builders;
using RlExperiments.Tuning;

using RlExperiments.Experiments;
using RlExperiments.Experiments.Collections;
using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Manager;

/// <summary>How an <see cref="ExperimentManager"/> names its output directory (rlberry's <c>outdir_id_style</c>).</summary>
public enum OutputDirIdStyle
{
    /// <summary><c>&lt;agentName&gt;_&lt;yyyy-MM-dd_HH-mm-ss&gt;_&lt;8 hex&gt;</c> (UTC). The default.</summary>
    Timestamp,

    /// <summary><c>&lt;agentName&gt;_&lt;32 hex&gt;</c>, a new random id.</summary>
    Unique,

    /// <summary><c>&lt;agentName&gt;</c>: the same directory every time; a new fit replaces the runs in it.</summary>
    None,
}

/// <summary>The content of <c>manager.json</c>: how the manager was set up and where its data are.</summary>
public sealed record ExperimentManagerManifest
{
    /// <summary>The document kind in the file's envelope.</summary>
    public const string Kind = "ExperimentManager";

    /// <summary>The agent's name (the directory prefix), e.g. "PPO".</summary>
    public required string AgentName { get; init; }

    /// <summary>The number of fitted instances (seeds).</summary>
    public required int NFit { get; init; }

    /// <summary>The manager's seed: the run seeds and the evaluation seeds are spawned from it.</summary>
    public required int Seed { get; init; }

    /// <summary>How the directory was named.</summary>
    public required OutputDirIdStyle OutputDirIdStyle { get; init; }

    /// <summary>Whether <see cref="ExperimentManager.Fit"/> has run.</summary>
    public bool Fitted { get; init; }

    /// <summary>When the manager was created (UTC, ISO 8601).</summary>
    public string? CreatedUtc { get; init; }

    /// <summary>The collection's manifest file in the same directory.</summary>
    public string CollectionFile { get; init; } = ExperimentCollection.ManifestFileName;

    /// <summary>The writer-data table in the same directory.</summary>
    public string WriterDataFile { get; init; } = ExperimentManager.WriterDataFileName;
}

/// <summary>
/// Trains and evaluates several instances of one agent, in the spirit of rlberry's <c>ExperimentManager</c>: constructed from
/// a builder, a built experiment or an experiment factory plus <c>nFit</c>, an output directory and an id style;
/// <see cref="Fit"/> trains <c>nFit</c> seeds (spawned from the manager's seed) through an <see cref="ExperimentCollection"/>;
/// <see cref="EvalAgents"/> plays deterministic episodes with the restored policies; <see cref="GetWriterData"/> returns the
/// logged scalars as a long table and writes <c>data.csv</c>; <see cref="Save"/> and <see cref="Load"/> persist it as JSON
/// next to the runs' directories (no binary serialiser).
/// </summary>
/// <remarks>
/// Layout: <c>&lt;outputDir&gt;/&lt;agentName&gt;_&lt;id&gt;/</c> holds <c>manager.json</c>, <c>collection.json</c>,
/// <c>data.csv</c> and one run directory per fit, <c>seed_&lt;seed&gt;/</c> (experiment.json, policies, TensorBoard events,
/// progress.csv, result.json).
/// </remarks>
public sealed class ExperimentManager
{
    /// <summary>The manager's file name in its directory.</summary>
    public const string ManifestFileName = "manager.json";

    /// <summary>The writer-data table's file name in the manager's directory.</summary>
    public const string WriterDataFileName = "data.csv";

    private readonly string _createdUtc;
    private bool _fitted;

    /// <summary>Creates a manager that fits <paramref name="nFit"/> copies of <paramref name="experiment"/> with seeds spawned from its seed.</summary>
    /// <param name="experiment">The experiment (e.g. <c>builder.Build()</c>); its seed is the manager's seed.</param>
    /// <param name="nFit">The number of instances. Allowed: ≥ 1.</param>
    /// <param name="outputDir">The folder of managers' directories; default: the experiment's <see cref="ExperimentConfig.PersistenceBaseDir"/>.</param>
    /// <param name="outputDirIdStyle">How the manager's directory is named.</param>
    /// <param name="agentName">The directory prefix; default: the algorithm, e.g. "PPO".</param>
    /// <param name="launcher">How <see cref="Fit"/> runs the instances; default <c>new ParallelLauncher()</c>.</param>
    public ExperimentManager(Experiment experiment, int nFit = 4, string? outputDir = null, OutputDirIdStyle outputDirIdStyle = OutputDirIdStyle.Timestamp,
        string? agentName = null, IExperimentLauncher? launcher = null)
        : this(s => (experiment ?? throw new ArgumentNullException(nameof(experiment))).WithConfig(c => c with { Seed = s }),
            experiment?.Config.Seed ?? 0, nFit, outputDir ?? experiment?.Config.PersistenceBaseDir ?? "log", outputDirIdStyle, agentName, launcher)
    {
    }

    /// <summary>Creates a manager whose instances come from <paramref name="experimentFactory"/>, called with each spawned seed.</summary>
    /// <param name="experimentFactory">Creates the experiment of one instance from its seed (the returned experiment's seed is set to it).</param>
    /// <param name="seed">The manager's seed: the instances' seeds are spawned from it (<see cref="SeedStreams.RunSeeds"/>).</param>
    /// <param name="nFit">The number of instances. Allowed: ≥ 1.</param>
    /// <param name="outputDir">The folder of managers' directories.</param>
    /// <param name="outputDirIdStyle">How the manager's directory is named.</param>
    /// <param name="agentName">The directory prefix; default: the algorithm, e.g. "PPO".</param>
    /// <param name="launcher">How <see cref="Fit"/> runs the instances; default <c>new ParallelLauncher()</c>.</param>
    public ExperimentManager(Func<int, Experiment> experimentFactory, int seed, int nFit = 4, string outputDir = "log",
        OutputDirIdStyle outputDirIdStyle = OutputDirIdStyle.Timestamp, string? agentName = null, IExperimentLauncher? launcher = null)
    {
        ArgumentNullException.ThrowIfNull(experimentFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDir);
        if (!Enum.IsDefined(outputDirIdStyle))
            throw new ArgumentOutOfRangeException(nameof(outputDirIdStyle), outputDirIdStyle, "Allowed: Timestamp, Unique or None.");
        var seeds = SeedStreams.RunSeeds(seed, nFit);
        var experiments = seeds.Select(s => (experimentFactory(s) ?? throw new InvalidOperationException("The experiment factory returned null."))
            .WithConfig(c => c with { Seed = s })).ToArray();
        AgentName = agentName ?? experiments[0].Definition.Algorithm.AlgorithmName;
        Factories.FieldCheck.FileName(nameof(ExperimentManager), nameof(agentName), AgentName);
        Seed = seed;
        OutputDirIdStyle = outputDirIdStyle;
        Launcher = launcher ?? new ParallelLauncher();
        var now = DateTime.UtcNow;
        _createdUtc = now.ToString("O", CultureInfo.InvariantCulture);
        var id = outputDirIdStyle switch
        {
            OutputDirIdStyle.Timestamp => $"{AgentName}_{now.ToString("yyyy-MM-dd_HH-mm-ss", CultureInfo.InvariantCulture)}_{Guid.NewGuid():N}"[..(AgentName.Length + 29)],
            OutputDirIdStyle.Unique => $"{AgentName}_{Guid.NewGuid():N}",
            _ => AgentName,
        };
        Collection = new ExperimentCollection(id, experiments, outputDir, seed) { Label = AgentName };
    }

    private ExperimentManager(ExperimentManagerManifest manifest, ExperimentCollection collection)
    {
        AgentName = manifest.AgentName;
        Seed = manifest.Seed;
        OutputDirIdStyle = manifest.OutputDirIdStyle;
        Launcher = new ParallelLauncher();
        _createdUtc = manifest.CreatedUtc ?? "";
        _fitted = manifest.Fitted;
        Collection = collection;
        Collection.Label = AgentName;
    }

    /// <summary>
    /// Creates a manager from a configured builder (built once, validating everything); its seed is the builder's seed.
    /// The directory prefix is <paramref name="agentName"/>, else the builder's <c>WithName</c>, else the algorithm.
    /// </summary>
    public static ExperimentManager FromBuilder<TSelf>(ExperimentBuilder<TSelf> builder, int nFit = 4, string? outputDir = null,
        OutputDirIdStyle outputDirIdStyle = OutputDirIdStyle.Timestamp, string? agentName = null, IExperimentLauncher? launcher = null)
        where TSelf : ExperimentBuilder<TSelf>
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new ExperimentManager(builder.Build(), nFit, outputDir, outputDirIdStyle, agentName ?? builder.Name, launcher);
    }

    /// <summary>The agent's name (the directory prefix).</summary>
    public string AgentName { get; }

    /// <summary>The manager's seed.</summary>
    public int Seed { get; }

    /// <summary>The number of instances.</summary>
    public int NFit => Collection.Experiments.Count;

    /// <summary>How the directory is named.</summary>
    public OutputDirIdStyle OutputDirIdStyle { get; }

    /// <summary>How <see cref="Fit"/> runs the instances (settable before fitting).</summary>
    public IExperimentLauncher Launcher { get; set; }

    /// <summary>The instances as a seeded collection.</summary>
    public ExperimentCollection Collection { get; private set; }

    /// <summary>The manager's directory, <c>&lt;outputDir&gt;/&lt;agentName&gt;_&lt;id&gt;</c>.</summary>
    public string Directory => Collection.Directory;

    /// <summary>The instances' seeds.</summary>
    public IReadOnlyList<int> Seeds => Collection.Seeds;

    /// <summary>Whether <see cref="Fit"/> has run.</summary>
    public bool IsFitted => _fitted;

    /// <summary>
    /// Trains the <see cref="NFit"/> instances with <see cref="Launcher"/> (rlberry's <c>fit()</c>), then writes the writer data
    /// (<c>data.csv</c>) and saves the manager. A failed instance is recorded in the result and the others complete.
    /// </summary>
    /// <exception cref="InvalidOperationException">The manager is already fitted (create a new one to fit again).</exception>
    public CollectionResult Fit()
    {
        if (_fitted)
            throw new InvalidOperationException($"Experiment manager '{Collection.Name}' is already fitted; create a new manager (with another seed) to fit more instances.");
        var result = Collection.Run(Launcher, overwrite: OutputDirIdStyle == OutputDirIdStyle.None);
        _fitted = true;
        GetWriterData();
        Save();
        return result;
    }

    /// <summary>
    /// Submits the fit to the run queue in <paramref name="storageUrl"/> (<c>postgresql://</c> or <c>sqlite:///</c>) instead of training
    /// here: one queued run per instance (<see cref="ExperimentCollection.Submit"/>), trained by <c>rlx worker --collection
    /// NAME</c> processes on any machines that see <see cref="Directory"/> (a shared filesystem). The manager is saved;
    /// once the workers are done, <see cref="Load"/> it to evaluate the instances.
    /// </summary>
    /// <param name="storageUrl">The queue's storage URL (see <see cref="Tuning.RunQueue.Open"/>).</param>
    public void Submit(string storageUrl)
    {
        if (_fitted)
            throw new InvalidOperationException($"Experiment manager '{Collection.Name}' is already fitted; create a new manager (with another seed) to fit more instances.");
        Collection.Submit(storageUrl);
        Save();
    }

    /// <summary>
    /// Plays <paramref name="nSimulations"/> deterministic episodes (rlberry's <c>eval_agents</c>): each picks a fitted
    /// instance at random (or <paramref name="agentId"/>), restores its saved policy and plays one episode on a fresh
    /// evaluation environment whose seed is drawn from the manager's evaluation stream. Same manager seed, same returns.
    /// </summary>
    /// <param name="nSimulations">The number of episodes; default 2 × <see cref="NFit"/>. Allowed: ≥ 1.</param>
    /// <param name="agentId">The instance to evaluate (its index), or null for a random succeeded instance per episode.</param>
    /// <returns>The undiscounted return of each episode, in order.</returns>
    /// <exception cref="InvalidOperationException">No instance has a saved policy (fit first).</exception>
    public IReadOnlyList<double> EvalAgents(int? nSimulations = null, int? agentId = null)
    {
        var n = nSimulations ?? 2 * NFit;
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(nSimulations), n, $"nSimulations = {n} is invalid; allowed: an integer ≥ 1.");
        var candidates = Collection.Runs.Where(r => r.Status == CollectionRunStatus.Succeeded && PolicyFile.Find(Collection.RunDirectory(r.Index)) is not null)
            .Select(r => r.Index).ToArray();
        if (agentId is { } id)
        {
            if (id < 0 || id >= NFit)
                throw new ArgumentOutOfRangeException(nameof(agentId), id, $"agentId = {id} is invalid; allowed: 0 to {NFit - 1}.");
            if (!candidates.Contains(id))
                throw new InvalidOperationException($"Instance {id} ({Collection.Runs[id].Name}) has no saved policy (status {Collection.Runs[id].Status}).");
            candidates = [id];
        }
        if (candidates.Length == 0)
            throw new InvalidOperationException($"Experiment manager '{Collection.Name}' has no fitted instance with a saved policy; call Fit() first.");

        var rng = new Rng(unchecked((ulong)Seed) ^ 0xE7A1_5EED_0B5E_AA11UL);
        var loaded = new Dictionary<int, (IAgent Agent, Factories.EnvironmentSet Envs, Evaluator Evaluator)>();
        var returns = new double[n];
        try
        {
            for (var i = 0; i < n; i++)
            {
                var index = candidates[rng.NextInt(candidates.Length)];
                var episodeSeed = rng.NextInt(1 << 30);
                if (!loaded.TryGetValue(index, out var instance))
                    loaded[index] = instance = LoadInstance(index);
                returns[i] = instance.Evaluator.Evaluate(instance.Agent, 1, deterministic: true, seed: episodeSeed).Returns[0];
            }
        }
        finally
        {
            foreach (var (_, envs, _) in loaded.Values)
                envs.Dispose();
        }
        return returns;
    }

    private (IAgent Agent, Factories.EnvironmentSet Envs, Evaluator Evaluator) LoadInstance(int index)
    {
        var experiment = Collection.Experiments[index];
        var def = experiment.Definition;
        var dir = Collection.RunDirectory(index);
        var path = PolicyFile.Find(dir) ?? throw new InvalidOperationException($"'{dir}' holds no saved policy.");
        var file = PolicyFile.Read(path);
        var envs = def.EnvFactory.Create(1, 0, def.Config.Seed, experiment.Services.Registry);
        try
        {
            var agent = def.Algorithm.CreateAgent(envs.ObservationSpace, envs.ActionSpace, def.Sampling, experiment.ResolvedSampling, def.Config.Seed);
            PolicyFile.Load(file, path, agent, def.Algorithm.AlgorithmName);
            return (agent, envs, new Evaluator(new SequentialVectorEnv([envs.Watch])));
        }
        catch
        {
            envs.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tunes the instances' hyperparameters (rlberry's <c>optimize_hyperparams</c>): each trial trains the trial's
    /// configuration on <paramref name="nFit"/> seeds with the experiment's environment, algorithm, params and budget
    /// (through <see cref="AutoRLEnv"/>, see <see cref="AutoRLObjectiveFunction"/>), stops poor trials early with
    /// successive halving, and maximises the mean final evaluation return. The study (SQLite <c>study.db</c>,
    /// <c>trials.csv</c>, <c>best_params.json</c>) is kept in <paramref name="studyDirectory"/>. As rlberry updates
    /// <c>init_kwargs</c>, a manager that is not fitted yet takes the best configuration: its instances become the tuned
    /// experiment (same seeds), so <see cref="Fit"/> trains it. A fitted manager keeps its fitted instances (fit
    /// <see cref="HyperparameterOptimizationResult.TunedExperiment"/> with a new manager).
    /// </summary>
    /// <param name="space">The search space; default: ARLBench's space for the algorithm (the module's <see cref="RlExperiments.Experiments.Algorithms.AlgorithmModule.AutoRLSpace"/>).</param>
    /// <param name="nTrials">Trials in the study in total (those of a continued study included). Allowed: ≥ 1.</param>
    /// <param name="timeout">No new trial starts after it and running trials are stopped; null for none (rlberry's default is 60 s, too short for RL).</param>
    /// <param name="nFit">Seeds per trial. Allowed: ≥ 1.</param>
    /// <param name="nJobs">Trials run in parallel, one thread each. Allowed: ≥ 1.</param>
    /// <param name="sampler">Tpe (default), Random or Grid.</param>
    /// <param name="pruner">Default: successive halving with rungs at 1/9 and 1/3 of the budget (reduction factor 3); <see cref="NopPruner"/> for none.</param>
    /// <param name="continuePrevious">Continue the study already in <paramref name="studyDirectory"/> (re-running trials a crash left running).</param>
    /// <param name="studyDirectory">Default: <c>&lt;manager directory&gt;/optim</c>.</param>
    /// <param name="evaluationsPerRung">Evaluations averaged per rung segment (see <see cref="AutoRLObjectiveFunction"/>); 1 is ARLBench's last-evaluation objective. Allowed: ≥ 1.</param>
    /// <param name="enqueue">Configurations to evaluate first, before the sampler's (Optuna's <c>enqueue_trial</c>), e.g. the space's default so the study's best is never worse than it on the tuning seeds.</param>
    /// <param name="evaluationFunction">
    /// Your own objective (rlberry's <c>custom_eval_function</c>): when given, each trial runs the manager's experiment with
    /// the trial's hyperparameters on each of the trial's <paramref name="nFit"/> seeds (in memory, nothing persisted) and
    /// its value is the mean of this function over those runs (higher is better); the pruner is not consulted. Default:
    /// null, the AutoRL objective above.
    /// </param>
    /// <exception cref="NotSupportedException">The experiment uses custom factories AutoRL cannot carry (see <see cref="AutoRLEnvConfig.FromExperiment"/>).</exception>
    public HyperparameterOptimizationResult OptimizeHyperparams(ConfigurationSpace? space = null, int nTrials = 20, TimeSpan? timeout = null,
        int nFit = 2, int nJobs = 1, SamplerKind sampler = SamplerKind.Tpe, IPruner? pruner = null, bool continuePrevious = false,
        string? studyDirectory = null, int evaluationsPerRung = 1, IEnumerable<Configuration>? enqueue = null,
        Func<Experiment, ExperimentResult, double>? evaluationFunction = null)
    {
        var template = Collection.Experiments[0];
        var environment = AutoRLEnvConfig.FromExperiment(template);
        space ??= template.Services.Algorithms.Get(environment.Algorithm).AutoRLSpace();
        long total = environment.NTotalTimesteps;
        pruner ??= new SuccessiveHalvingPruner(minResource: Math.Max(1, total / 9), reductionFactor: 3);
        var studyDir = Path.GetFullPath(studyDirectory ?? Path.Combine(Directory, "optim"));
        if (!continuePrevious && File.Exists(Path.Combine(studyDir, SqliteStudyStorage.FileName)))
            throw new InvalidOperationException(
                $"The study directory '{studyDir}' already holds a study ({SqliteStudyStorage.FileName}); nothing was changed. "
                + "Pass continuePrevious: true to OptimizeHyperparams to continue it, or another studyDirectory:.");
        var options = new HyperparameterOptimizerOptions
        {
            StudyDirectory = studyDir,
            StudyName = AgentName,
            Direction = StudyDirection.Maximize,
            NTrials = nTrials,
            Timeout = timeout,
            NFit = nFit,
            NJobs = nJobs,
            Sampler = sampler,
            Pruner = pruner,
            Seed = Seed,
            ContinuePrevious = continuePrevious,
        };
        Func<TrialContext, double> objective = evaluationFunction is null
            ? new AutoRLObjectiveFunction(environment, total, pruner, evaluationsPerRung, template.Services.Registry, template.Services.Algorithms).Evaluate
            : trial => EvaluateWith(template, trial, evaluationFunction);
        var study = new HyperparameterOptimizer(options).Optimize(space, objective, enqueue ?? []);
        var best = study.BestConfiguration;
        if (best is not null && !_fitted)
            Collection = new ExperimentCollection(Collection.Name, Collection.Experiments.Select(e => e.WithHyperparameters(best)), Collection.BaseDirectory, Seed)
            {
                Label = Collection.Label,
            };
        return new HyperparameterOptimizationResult(study, best is null ? null : template.WithHyperparameters(best).WithConfig(c => c with { Seed = Seed }));
    }

    /// <summary>One trial of a custom objective: the experiment with the trial's hyperparameters, run in memory on each trial seed, scored by <paramref name="evaluate"/>, averaged.</summary>
    private static double EvaluateWith(Experiment template, TrialContext trial, Func<Experiment, ExperimentResult, double> evaluate)
    {
        var tuned = template.WithHyperparameters(trial.Configuration);
        var sum = 0.0;
        foreach (var seed in trial.Seeds)
        {
            trial.CancellationToken.ThrowIfCancellationRequested();
            var run = tuned.WithConfig(c => c with { Seed = seed, PersistenceEnabled = false, Watch = false });
            using var result = run.Run();
            var value = evaluate(run, result);
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"The evaluation function returned {value} for trial {trial.Number} (seed {seed}); allowed: a finite number.");
            sum += value;
        }
        return sum / trial.Seeds.Count;
    }

    /// <summary>
    /// The scalars every instance logged, as a long table (rlberry's <c>get_writer_data</c>): run, seed, tag, value,
    /// environment step and wall time (seconds since the run's first scalar). Also written to <c>data.csv</c> in the
    /// manager's directory (columns <see cref="RunData.CsvHeader"/>).
    /// </summary>
    /// <param name="tag">Only this tag (e.g. <c>"test/return_mean"</c>), or null for all.</param>
    public IReadOnlyList<WriterDataRow> GetWriterData(string? tag = null)
    {
        var rows = new List<WriterDataRow>();
        foreach (var run in Collection.Runs)
            rows.AddRange(RunData.Read(Collection.RunDirectory(run.Index), run.Name, run.Seed).Where(r => tag is null || r.Tag == tag));
        RunData.WriteCsv(Path.Combine(Directory, WriterDataFileName), rows);
        return rows;
    }

    /// <summary>The manifest as it stands.</summary>
    public ExperimentManagerManifest Manifest => new()
    {
        AgentName = AgentName,
        NFit = NFit,
        Seed = Seed,
        OutputDirIdStyle = OutputDirIdStyle,
        Fitted = _fitted,
        CreatedUtc = _createdUtc,
    };

    /// <summary>
    /// Saves the manager (rlberry's <c>save()</c>): <c>manager.json</c> and <c>collection.json</c>, atomically, plus each
    /// instance's <c>experiment.json</c> when its directory does not hold one yet. Everything is JSON or safetensors.
    /// </summary>
    /// <returns>The path of <c>manager.json</c>.</returns>
    public string Save()
    {
        var services = Collection.Experiments[0].Services;
        for (var i = 0; i < NFit; i++)
        {
            if (!File.Exists(Path.Combine(Collection.RunDirectory(i), Experiment.FileName)))
                Collection.Experiments[i].Save(Collection.RunDirectory(i), dropUnpersistableCallbacks: true);
        }
        Collection.SaveManifest();
        var path = Path.Combine(Directory, ManifestFileName);
        services.Json.WriteFile(path, Manifest, ExperimentManagerManifest.Kind);
        return path;
    }

    /// <summary>Loads a manager saved by <see cref="Save"/> (or <see cref="Fit"/>) from its directory or its <c>manager.json</c>.</summary>
    /// <param name="path">The manager's directory, or its manager.json.</param>
    /// <param name="services">The services to run with (their allow-list decides which types may be read).</param>
    /// <exception cref="FileNotFoundException">manager.json, collection.json or an instance's experiment.json is missing.</exception>
    /// <exception cref="RlExperiments.Experiments.Persistence.ExperimentJsonException">A file is invalid.</exception>
    public static ExperimentManager Load(string path, ExperimentServices? services = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        services ??= ExperimentServices.Default;
        var directory = File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : Path.GetFullPath(path);
        var file = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(file))
            throw new FileNotFoundException($"'{path}' holds no {ManifestFileName}; expected the directory of a saved experiment manager.", file);
        var manifest = services.Json.ReadFile<ExperimentManagerManifest>(file, ExperimentManagerManifest.Kind);
        var collection = ExperimentCollection.FromDirectory(directory, services);
        return new ExperimentManager(manifest, collection);
    }

    /// <inheritdoc />
    public override string ToString() => $"ExperimentManager {Collection.Name}: {NFit} × {AgentName}, seed {Seed}{(_fitted ? ", fitted" : "")}";
}
