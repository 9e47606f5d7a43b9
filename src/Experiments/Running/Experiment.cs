using Microsoft.Extensions.Logging;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Experiments.Persistence;

namespace RlExperiments.Experiments;

/// <summary>
/// A built experiment (Tianshou's <c>Experiment</c>): an <see cref="ExperimentDefinition"/> (data, saved as
/// <c>experiment.json</c>) plus the runtime services it runs with. <see cref="Run"/> trains and returns the live
/// <see cref="World"/>; <see cref="Save"/> and <see cref="FromDirectory"/> persist and restore it.
/// </summary>
/// <remarks>
/// <para><b>Run directory</b> (<c>&lt;PersistenceBaseDir&gt;/&lt;name&gt;/</c>): <c>experiment.json</c> (this experiment),
/// <c>log.txt</c> (the run's log), <c>policy.safetensors</c> (the best policy by mean test return, rewritten at each new
/// best), <c>policy_final.safetensors</c> (the policy after the last epoch), <c>events.out.tfevents.*</c> (TensorBoard
/// scalars), <c>progress.csv</c> (the same scalars), <c>result.json</c> (the summary), <c>checkpoints/</c> (when
/// enabled) and, while a process runs or resumes it, <c>.lock</c>. Every file is written atomically (or, for the
/// append-only logs, line by line).</para>
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
    /// <c>StudyResult.BestConfiguration</c>); see <see cref="AlgorithmFactory.WithConfiguration"/>.
    /// </summary>
    public Experiment WithHyperparameters(RlExperiments.Tuning.Configuration configuration)
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
            Check(Definition.StepCallback, nameof(ExperimentDefinition.StepCallback));
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

    internal ExperimentDefinition Persistable(bool drop)
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
            StepCallback = Keep(Definition.StepCallback) ? Definition.StepCallback : null,
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
        var notes = new List<string>();
        var definition = services.Json.ReadFile<ExperimentDefinition>(path, notes: notes);
        if (notes.Count > 0)
        {
            var log = services.Logging.CreateLogger("RlExperiments.Experiments.Experiment");
            foreach (var note in notes) log.LogWarning("{Note}", note);
        }
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
    /// <remarks>
    /// A resume takes the run directory's lock (<c>.lock</c>) like <see cref="Run"/>: one process per run directory. A
    /// lock left by a process that is gone (killed, crashed) is taken over, with a warning in the log. Every check that
    /// can refuse the resume (the lock, an intact checkpoint, an experiment that trains differently) runs before anything
    /// is written: a refused resume leaves the directory as it was.
    /// </remarks>
    /// <exception cref="InvalidOperationException">There is no intact checkpoint, or this experiment differs from the checkpointed one in a way that changes training (the message names the fields).</exception>
    /// <exception cref="IOException">Another live process holds the run directory ("... is in use by process P on machine M").</exception>
    public ExperimentResult Resume(string? directory = null)
    {
        var dir = Path.GetFullPath(directory ?? SourceDirectory ?? Path.Combine(Config.PersistenceBaseDir, Name));
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Cannot resume: the run directory '{dir}' does not exist.");
        var experiment = Definition.Config.PolicyRestoreDirectory is null ? this : WithConfig(c => c with { PolicyRestoreDirectory = null });
        return new ExperimentRun(experiment, Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)), null, overwrite: true, resumeDirectory: dir).Execute();
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
    /// <param name="overwrite">
    /// Reuse an existing run directory: the previous run's files (experiment.json, log, policies, metrics, result.json and
    /// its checkpoints) are deleted before anything is written, so a later <see cref="Resume"/> can only continue this run.
    /// </param>
    /// <remarks>
    /// One process per run directory: the run holds the directory's lock (<c>.lock</c>, naming pid, machine and start
    /// time) from before it writes anything until it ends; a second run or resume of the same directory meanwhile is
    /// refused and writes nothing. A lock left by a process that is gone (killed, crashed) is taken over.
    /// </remarks>
    /// <exception cref="IOException">The run directory exists and <paramref name="overwrite"/> is false, or another live process holds it ("... is in use by process P on machine M").</exception>
    public ExperimentResult Run(string? experimentName = null, string? loggerRunId = null, bool overwrite = false) =>
        new ExperimentRun(this, experimentName, loggerRunId, overwrite, resumeDirectory: null).Execute();

    /// <inheritdoc />
    public override string ToString() => Definition.ToString();
}
