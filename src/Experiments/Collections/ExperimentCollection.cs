using RlExperiments.Tuning;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Core;
using RlExperiments.Evaluation.Reporting;

namespace RlExperiments.Experiments.Collections;

/// <summary>
/// Several runs of one experiment that differ only in their seed (Tianshou's <c>ExperimentCollection</c>, built with
/// <c>builder.BuildSeededCollection(n)</c>). <see cref="Run"/> runs them with a launcher (sequentially or on threads);
/// each run lands in <c>&lt;base&gt;/&lt;name&gt;/seed_&lt;seed&gt;/</c>, a normal run directory that
/// <see cref="Experiment.FromDirectory"/> restores, and the collection keeps a manifest,
/// <c>&lt;base&gt;/&lt;name&gt;/collection.json</c> (written atomically after every run), with the runs, their seeds,
/// status, error and a summary. A run that throws is recorded as failed; the others still run.
/// </summary>
public sealed class ExperimentCollection
{
    /// <summary>The manifest's file name in the collection directory.</summary>
    public const string ManifestFileName = "collection.json";

    /// <summary>The report's file name in the collection directory.</summary>
    public const string ReportFileName = "report.html";

    private readonly Lock _lock = new();
    private readonly CollectionRun[] _runs;
    private string? _launcher;
    private string? _startedUtc;

    /// <summary>
    /// Creates a collection of <paramref name="experiments"/> (distinct seeds). Each is re-targeted to run as
    /// <c>seed_&lt;seed&gt;</c> under <c>&lt;baseDirectory&gt;/&lt;name&gt;</c>; nothing else of it changes.
    /// </summary>
    /// <param name="name">The collection's name (its directory name). Allowed: a plain file name.</param>
    /// <param name="experiments">The runs; their seeds must be distinct.</param>
    /// <param name="baseDirectory">The folder holding the collection directory; default: the first experiment's <see cref="ExperimentConfig.PersistenceBaseDir"/>.</param>
    /// <param name="rootSeed">The seed the run seeds were spawned from, recorded in the manifest; null when the seeds were chosen otherwise.</param>
    /// <exception cref="ArgumentException">No experiments, duplicate seeds or an invalid name.</exception>
    public ExperimentCollection(string name, IEnumerable<Experiment> experiments, string? baseDirectory = null, int? rootSeed = null)
    {
        Factories.FieldCheck.FileName(nameof(ExperimentCollection), nameof(name), name);
        ArgumentNullException.ThrowIfNull(experiments);
        var list = experiments.ToArray();
        if (list.Length == 0)
            throw new ArgumentException("An experiment collection needs at least one experiment.", nameof(experiments));
        var duplicate = list.GroupBy(e => e.Config.Seed).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The seeds of a collection must be distinct; seed {duplicate.Key} appears {duplicate.Count()} times.", nameof(experiments));
        Name = name;
        BaseDirectory = baseDirectory ?? list[0].Config.PersistenceBaseDir;
        ArgumentException.ThrowIfNullOrWhiteSpace(BaseDirectory, nameof(baseDirectory));
        RootSeed = rootSeed;
        var collectionDir = Path.Combine(BaseDirectory, name);
        Experiments = Array.AsReadOnly(list.Select(e => new Experiment(
            e.Definition with { Name = RunName(e.Config.Seed), Config = e.Config with { PersistenceBaseDir = collectionDir } }, e.Services)).ToArray());
        _runs = Experiments.Select((e, i) => new CollectionRun { Index = i, Seed = e.Config.Seed, Name = e.Name }).ToArray();
        Label = Join(Experiments.Select(e => e.Definition.Algorithm.AlgorithmName));
    }

    /// <summary>
    /// Spawns <paramref name="count"/> seeds from <paramref name="template"/>'s seed (see <see cref="SeedStreams.RunSeeds"/>) and
    /// creates a collection of copies of it that differ only in the seed. Same template seed, same run seeds.
    /// </summary>
    /// <param name="template">The experiment to repeat.</param>
    /// <param name="count">The number of runs. Allowed: ≥ 1.</param>
    /// <param name="name">The collection's name; default: the template's name.</param>
    public static ExperimentCollection Seeded(Experiment template, int count, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var seeds = SeedStreams.RunSeeds(template.Config.Seed, count);
        var runs = seeds.Select(s => new Experiment(template.Definition with { Config = template.Config with { Seed = s } }, template.Services));
        return new ExperimentCollection(name ?? template.Name, runs, template.Config.PersistenceBaseDir, template.Config.Seed);
    }

    /// <summary>The directory name of the run with <paramref name="seed"/>: <c>seed_&lt;seed&gt;</c>.</summary>
    public static string RunName(int seed) => "seed_" + seed.ToString(CultureInfo.InvariantCulture);

    /// <summary>The collection's name (its directory name).</summary>
    public string Name { get; }

    /// <summary>The folder holding the collection directory.</summary>
    public string BaseDirectory { get; }

    /// <summary>The collection directory, <c>&lt;base&gt;/&lt;name&gt;</c>.</summary>
    public string Directory => Path.GetFullPath(Path.Combine(BaseDirectory, Name));

    /// <summary>The path of <c>collection.json</c>.</summary>
    public string ManifestPath => Path.Combine(Directory, ManifestFileName);

    /// <summary>The seed the run seeds were spawned from, or null.</summary>
    public int? RootSeed { get; }

    /// <summary>The runs, each named <c>seed_&lt;seed&gt;</c> and persisting under <see cref="Directory"/>.</summary>
    public IReadOnlyList<Experiment> Experiments { get; }

    /// <summary>The run seeds, in order.</summary>
    public IReadOnlyList<int> Seeds => Experiments.Select(e => e.Config.Seed).ToArray();

    /// <summary>The collection's group name in reports. Default: the algorithm, e.g. "PPO".</summary>
    public string Label { get; set; }

    /// <summary>The runs' current records (status, error, summary).</summary>
    public IReadOnlyList<CollectionRun> Runs
    {
        get
        {
            lock (_lock)
                return _runs.ToArray();
        }
    }

    /// <summary>The directory of run <paramref name="index"/>.</summary>
    public string RunDirectory(int index) => Path.Combine(Directory, Experiments[index].Name);

    /// <summary>
    /// Runs every experiment with <paramref name="launcher"/> (default <see cref="SequentialLauncher"/>) and returns their
    /// outcomes. Each run writes its own directory; <c>collection.json</c> is written before the first run and after each
    /// run ends. A run that throws is recorded with its error and does not stop the others.
    /// </summary>
    /// <param name="launcher">Runs the jobs; <c>new ParallelLauncher()</c> runs them on threads.</param>
    /// <param name="overwrite">Replace existing run directories; otherwise an existing one is an error before anything runs.</param>
    /// <exception cref="IOException">A run directory exists and <paramref name="overwrite"/> is false.</exception>
    public CollectionResult Run(IExperimentLauncher? launcher = null, bool overwrite = false)
    {
        launcher ??= new SequentialLauncher();
        if (!overwrite)
        {
            var existing = Enumerable.Range(0, Experiments.Count).Select(RunDirectory).Where(System.IO.Directory.Exists).ToArray();
            if (existing.Length > 0)
                throw new IOException(
                    $"Run directories of collection '{Name}' already exist ({string.Join(", ", existing.Select(Path.GetFileName))} in '{Directory}'). " +
                    "Choose another name, delete them, or pass overwrite: true.");
        }
        lock (_lock)
        {
            for (var i = 0; i < _runs.Length; i++)
                _runs[i] = new CollectionRun { Index = i, Seed = _runs[i].Seed, Name = _runs[i].Name };
            _launcher = launcher.ToString();
            _startedUtc = Now();
            WriteManifestLocked();
        }
        var jobs = Enumerable.Range(0, Experiments.Count).Select(i => (Action)(() => RunOne(i))).ToArray();
        launcher.Launch(jobs);
        var runs = Runs;
        return new CollectionResult(Directory, runs, CollectionSummary.Of(runs));
    }

    /// <summary>
    /// Runs again only the runs that have not succeeded (failed, never started, or interrupted while running, e.g. by a
    /// crash), replacing their directories; succeeded runs are kept. Use it after <see cref="FromDirectory"/>.
    /// </summary>
    /// <param name="launcher">Runs the jobs; default <see cref="SequentialLauncher"/>.</param>
    /// <returns>The outcome of every run, the kept ones included.</returns>
    public CollectionResult Resume(IExperimentLauncher? launcher = null)
    {
        launcher ??= new SequentialLauncher();
        int[] todo;
        lock (_lock)
        {
            todo = _runs.Where(r => r.Status != CollectionRunStatus.Succeeded).Select(r => r.Index).ToArray();
            foreach (var i in todo)
                _runs[i] = new CollectionRun { Index = i, Seed = _runs[i].Seed, Name = _runs[i].Name };
            _launcher = launcher.ToString();
            WriteManifestLocked();
        }
        launcher.Launch(todo.Select(i => (Action)(() => RunOne(i))).ToArray());
        var runs = Runs;
        return new CollectionResult(Directory, runs, CollectionSummary.Of(runs));
    }

    /// <summary>
    /// Submits the collection to the run queue in <paramref name="storageUrl"/> instead of running it here: writes
    /// <c>collection.json</c> and each run's <c>experiment.json</c>, then queues one run per experiment. Workers
    /// (<c>rlx worker --collection NAME</c>, <see cref="CollectionWorker.Work"/>) claim
    /// the runs and write each run's directory under <see cref="Directory"/>, which must therefore be on a filesystem every
    /// worker sees (NFS, a cluster's shared home). The worker that finishes the last run writes <c>collection.json</c>
    /// with every outcome and <c>report.html</c>. A run whose worker died resumes from its last checkpoint on the next worker.
    /// </summary>
    /// <param name="storageUrl">The queue's storage: <c>postgresql://</c> for workers on any machine that reaches the server,
    /// or <c>sqlite:///PATH</c> for worker processes on this machine (see <see cref="RunQueue.Open"/>).</param>
    /// <exception cref="IOException">A run directory already exists (nothing was queued).</exception>
    public void Submit(string storageUrl)
    {
        var existing = Enumerable.Range(0, Experiments.Count).Select(RunDirectory).Where(System.IO.Directory.Exists).ToArray();
        if (existing.Length > 0)
            throw new IOException($"Run directories of collection '{Name}' already exist ({string.Join(", ", existing.Select(Path.GetFileName))} in '{Directory}'); nothing was queued. Choose another name or delete them.");
        using var queue = RunQueue.Open(storageUrl, Name);
        lock (_lock)
        {
            _launcher = "queue " + StudyStorageUrl.Parse(storageUrl).Redacted;
            _startedUtc = Now();
            for (var i = 0; i < Experiments.Count; i++) Experiments[i].Save(RunDirectory(i), dropUnpersistableCallbacks: true);
            WriteManifestLocked();
        }
        queue.Submit(Directory, Experiments.Select(e => e.Name));
    }

    /// <summary>Records the outcome of run <paramref name="index"/> as a worker reported it (from its run directory's result.json).</summary>
    internal void RecordOutcome(int index, QueuedRun run)
    {
        var resultPath = Path.Combine(RunDirectory(index), Experiment.ResultFileName);
        var summary = run.State == TrialState.Complete && File.Exists(resultPath) ? Experiments[index].Services.Json.ReadFile<RunSummary>(resultPath) : null;
        lock (_lock)
            _runs[index] = _runs[index] with
            {
                Status = summary is not null ? CollectionRunStatus.Succeeded : CollectionRunStatus.Failed,
                Summary = summary,
                Error = summary is not null ? null : run.Error ?? "the run has no result.json",
                FinishedUtc = Now(),
            };
    }

    private void RunOne(int index)
    {
        var experiment = Experiments[index];
        Update(index, r => r with { Status = CollectionRunStatus.Running, StartedUtc = Now() });
        try
        {
            // experiment.json first, so even a run that fails before it starts can be restored and re-run.
            experiment.Save(RunDirectory(index), dropUnpersistableCallbacks: true);
            using var result = experiment.Run(overwrite: true);
            Update(index, r => r with { Status = CollectionRunStatus.Succeeded, Summary = result.Summary, Error = null, ErrorType = null, FinishedUtc = Now() });
        }
        catch (Exception ex)
        {
            Update(index, r => r with { Status = CollectionRunStatus.Failed, Error = $"{ex.GetType().Name}: {ex.Message}", ErrorType = ex.GetType().FullName, FinishedUtc = Now() });
        }
    }

    private void Update(int index, Func<CollectionRun, CollectionRun> change)
    {
        lock (_lock)
        {
            _runs[index] = change(_runs[index]);
            WriteManifestLocked();
        }
    }

    /// <summary>The manifest as it stands.</summary>
    public CollectionManifest Manifest
    {
        get
        {
            lock (_lock)
                return BuildManifestLocked();
        }
    }

    private CollectionManifest BuildManifestLocked() => new()
    {
        Name = Name,
        Algorithm = Label,
        EnvId = Join(Experiments.Select(e => e.Definition.EnvFactory.EnvId)),
        RootSeed = RootSeed,
        Launcher = _launcher,
        StartedUtc = _startedUtc,
        UpdatedUtc = Now(),
        Runs = _runs.ToArray(),
        Summary = CollectionSummary.Of(_runs),
    };

    private void WriteManifestLocked() =>
        Experiments[0].Services.Json.WriteFile(ManifestPath, BuildManifestLocked(), CollectionManifest.Kind);

    /// <summary>Writes <c>collection.json</c> as it stands (atomically).</summary>
    public void SaveManifest()
    {
        lock (_lock)
            WriteManifestLocked();
    }

    /// <summary>
    /// Restores a collection from its directory: <c>collection.json</c> and each run's <c>experiment.json</c> (the run
    /// records, statuses and summaries as they were written).
    /// </summary>
    /// <param name="directory">The collection directory.</param>
    /// <param name="services">The services to run with (their allow-list decides which types may be read); default <see cref="ExperimentServices.Default"/>.</param>
    /// <exception cref="FileNotFoundException">collection.json or a run's experiment.json is missing.</exception>
    /// <exception cref="Persistence.ExperimentJsonException">A file is invalid.</exception>
    public static ExperimentCollection FromDirectory(string directory, ExperimentServices? services = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        services ??= ExperimentServices.Default;
        var full = Path.GetFullPath(directory);
        var path = Path.Combine(full, ManifestFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{directory}' holds no {ManifestFileName}; expected the directory of an experiment collection.", path);
        var manifest = services.Json.ReadFile<CollectionManifest>(path, CollectionManifest.Kind);
        if (manifest.Runs.Count == 0)
            throw new InvalidDataException($"{path}: the collection has no runs.");
        var experiments = manifest.Runs.Select(r => Experiment.FromDirectory(Path.Combine(full, r.Name), restorePolicy: false, services));
        var collection = new ExperimentCollection(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), experiments,
            Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar)), manifest.RootSeed);
        lock (collection._lock)
        {
            for (var i = 0; i < manifest.Runs.Count; i++)
                collection._runs[i] = manifest.Runs[i] with { Index = i };
            collection._launcher = manifest.Launcher;
            collection._startedUtc = manifest.StartedUtc;
        }
        collection.Label = manifest.Algorithm;
        return collection;
    }

    // ----- Reports -----

    /// <summary>
    /// The succeeded runs as a report group: each run's learning curve (<c>test/return_mean</c> by environment step from its
    /// progress.csv, else its TensorBoard events) and its score from its result.json.
    /// </summary>
    /// <param name="metric">Which number of result.json is the score.</param>
    /// <param name="groupName">The group's name; default <see cref="Label"/>.</param>
    /// <exception cref="InvalidOperationException">No run has succeeded.</exception>
    public ReportGroup ToReportGroup(FinalReturnMetric metric = FinalReturnMetric.LastTestReturn, string? groupName = null)
    {
        var runs = new List<ReportRun>();
        foreach (var run in Runs.Where(r => r.Status == CollectionRunStatus.Succeeded))
        {
            var dir = Path.Combine(Directory, run.Name);
            var resultPath = Path.Combine(dir, Experiment.ResultFileName);
            var summary = File.Exists(resultPath) ? Experiments[run.Index].Services.Json.ReadFile<RunSummary>(resultPath) : run.Summary;
            var score = (run with { Summary = summary }).FinalReturn(metric);
            if (!double.IsFinite(score)) continue;
            runs.Add(new ReportRun(run.Seed, RunData.LearningCurve(dir), score));
        }
        if (runs.Count == 0)
            throw new InvalidOperationException($"Collection '{Name}' has no succeeded run with a finite {metric}; run it first (Run(launcher)).");
        return new ReportGroup(groupName ?? Label, runs);
    }

    /// <summary>The report data of this collection alone (one group), with the environment's reward threshold when it has one.</summary>
    public ReportData ToReportData(FinalReturnMetric metric = FinalReturnMetric.LastTestReturn, string? title = null) =>
        BuildReportData([this], metric, title);

    /// <summary>
    /// Writes <c>report.html</c> next to <c>collection.json</c> (or to <paramref name="path"/>): learning curves, aggregate
    /// metrics with bootstrap intervals, performance profile and the final return of every seed.
    /// </summary>
    /// <returns>The statistics shown.</returns>
    public ReportStatistics WriteReport(string? path = null, FinalReturnMetric metric = FinalReturnMetric.LastTestReturn, ReportOptions? options = null)
    {
        path = Path.GetFullPath(path ?? Path.Combine(Directory, ReportFileName));
        var statistics = new ReportWriter(options).Write(ToReportData(metric), path);
        LogWrote("collection report", path);
        return statistics;
    }

    private void LogWrote(string what, string path) =>
        Experiments[0].Services.Logging.CreateLogger("RlExperiments.ExperimentCollection")
            .LogInformation("Collection {Name}: wrote the {What} {Path}", Name, what, path);

    /// <summary>
    /// Compares this collection with <paramref name="others"/> (e.g. PPO vs DQN): one group per collection, the hypothesis
    /// tests between them, written as a report to <paramref name="path"/>.
    /// </summary>
    /// <returns>The statistics shown, including <see cref="ReportStatistics.Comparisons"/>.</returns>
    public ReportStatistics Compare(string path, params ExperimentCollection[] others) =>
        Compare(path, FinalReturnMetric.LastTestReturn, null, null, others);

    /// <summary>As <see cref="Compare(string, ExperimentCollection[])"/>, with the score, title and statistics options.</summary>
    public ReportStatistics Compare(string path, FinalReturnMetric metric, string? title, ReportOptions? options, params ExperimentCollection[] others)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(others);
        if (others.Length == 0)
            throw new ArgumentException("Compare needs at least one other collection.", nameof(others));
        var statistics = new ReportWriter(options).Write(BuildReportData([this, .. others], metric, title), path);
        LogWrote("comparison report", Path.GetFullPath(path));
        return statistics;
    }

    /// <summary>The report data of several collections, one group each (named by <see cref="Label"/>, or by collection name when labels repeat).</summary>
    public static ReportData BuildReportData(IReadOnlyList<ExperimentCollection> collections, FinalReturnMetric metric = FinalReturnMetric.LastTestReturn, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(collections);
        if (collections.Count == 0)
            throw new ArgumentException("At least one collection is needed.", nameof(collections));
        var labelsUnique = collections.Select(c => c.Label).Distinct(StringComparer.Ordinal).Count() == collections.Count;
        var groups = collections.Select(c => c.ToReportGroup(metric, labelsUnique ? c.Label : c.Name)).ToArray();
        var envIds = Join(collections.SelectMany(c => c.Experiments).Select(e => e.Definition.EnvFactory.EnvId));
        var first = collections[0].Experiments[0];
        double? threshold = null;
        try
        {
            threshold = first.Services.Registry.Spec(first.Definition.EnvFactory.EnvId).RewardThreshold;
        }
        catch (ArgumentException)
        {
            // An id not in this registry: no threshold.
        }
        var metadata = new List<KeyValuePair<string, string>> { new("environment", envIds), new("score", metric.ToString()) };
        foreach (var c in collections)
        {
            var e = c.Experiments[0];
            var s = e.ResolvedSampling;
            metadata.Add(new(groups[collections.ToList().IndexOf(c)].Name,
                string.Create(CultureInfo.InvariantCulture, $"{e.Definition.Algorithm.AlgorithmName}, {c.Experiments.Count} seeds, {s.NumEpochs} × {s.EpochNumSteps:N0} steps, collection {c.Name}")));
        }
        // The first watch episode of every succeeded run that recorded one (ExperimentConfig.WatchRender).
        var videos = new List<ReportVideo>();
        for (var c = 0; c < collections.Count; c++)
        {
            foreach (var run in collections[c].Runs.Where(r => r.Status == CollectionRunStatus.Succeeded).OrderBy(r => r.Seed))
            {
                var gif = Path.Combine(collections[c].Directory, run.Name, Experiment.WatchVideoFileName);
                if (File.Exists(gif))
                    videos.Add(new ReportVideo($"{groups[c].Name}, seed {run.Seed.ToString(CultureInfo.InvariantCulture)}", gif));
            }
        }
        return new ReportData
        {
            Videos = videos,
            Title = title ?? (groups.Length == 1 ? $"{groups[0].Name} on {envIds}" : $"{string.Join(" vs ", groups.Select(g => g.Name))} on {envIds}"),
            Groups = groups,
            RewardThreshold = threshold,
            Metadata = metadata,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    private static string Join(IEnumerable<string> values) => string.Join("+", values.Distinct(StringComparer.Ordinal));

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"ExperimentCollection {Name}: {Experiments.Count} runs of {Label}, seeds {string.Join(", ", Seeds)}";
}
