using RlExperiments.Factories;

namespace RlExperiments.Experiments;

/// <summary>Which policy weight files a run writes into its directory.</summary>
public enum PolicyPersistenceMode
{
    /// <summary>
    /// <c>policy.safetensors</c> holds the best policy by mean test return (rewritten at each new best, as Tianshou's
    /// <c>save_best_fn</c>) and <c>policy_final.safetensors</c> the policy after the last epoch. Without test episodes
    /// the best is the final policy. The default.
    /// </summary>
    BestAndFinal,

    /// <summary>Only <c>policy.safetensors</c>, the best policy by mean test return (the final one without test episodes).</summary>
    Best,

    /// <summary>Only <c>policy_final.safetensors</c>, the policy after the last epoch.</summary>
    Final,
}

/// <summary>
/// How an experiment runs, independent of the algorithm (Tianshou's <c>ExperimentConfig</c>): seed, device, whether to
/// train and watch, where and what to persist, and which saved policy to start from. An immutable record of plain
/// values; it is saved in <c>experiment.json</c>.
/// </summary>
public sealed record ExperimentConfig : IValidatable
{
    /// <summary>
    /// The experiment seed. Every random stream derives from it: environment seeds (train, test and watch, never
    /// overlapping), network initialisation, exploration and replay sampling, so the same seed on the same machine
    /// gives the same run. Default: 42. Allowed: any integer.
    /// </summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Where tensors live. Default: <c>"cpu"</c>. Allowed: <c>"cpu"</c> only; there is no GPU backend yet, and any other
    /// value is an error at <c>Build()</c> rather than a silent fallback.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// The persistence directory of an earlier run whose policy (<c>policy.safetensors</c>, else
    /// <c>policy_final.safetensors</c>) is loaded into the agent before training or watching: with <see cref="Train"/>
    /// false this evaluates a saved policy, with it true it warm-starts from it. Only the policy's networks (and
    /// observation statistics) are restored; optimiser state, replay buffer and counters are not.
    /// Default: null (start from scratch). Allowed: null or an existing directory holding a policy file.
    /// </summary>
    public string? PolicyRestoreDirectory { get; init; }

    /// <summary>Whether to train. Default: true. With false, the (restored) policy is only evaluated and watched.</summary>
    public bool Train { get; init; } = true;

    /// <summary>
    /// Whether to watch the agent after training: <see cref="WatchNumEpisodes"/> deterministic episodes on the watch
    /// environment (seeded from <see cref="Seed"/>), whose returns are logged and returned. Default: true.
    /// </summary>
    public bool Watch { get; init; } = true;

    /// <summary>Episodes played when watching. Default: 10. Allowed: an integer ≥ 1.</summary>
    public int WatchNumEpisodes { get; init; } = 10;

    /// <summary>
    /// Seconds between frames of the watch video (Tianshou's <c>watch_render</c>): when &gt; 0, the first watch episode is
    /// drawn frame by frame (Gymnasium's <c>rgb_array</c> pictures) and written as the animated <c>watch.gif</c> in the run
    /// directory, which the run's and the collection's <c>report.html</c> show. Training never draws. Default: 0 (no video).
    /// Allowed: 0, or a number &gt; 0 with <see cref="Watch"/> and <see cref="PersistenceEnabled"/> on (a GIF shows a frame
    /// at least 0.02 s; 0.02 is CartPole's 50 fps, 1/30 the other classic-control environments' rate) and an environment
    /// that can be rendered (the five classic-control ones, or one registered with <c>EnvRendering.Register</c>).
    /// </summary>
    [RlExperiments.Core.OptionalInFile("added after main 2ec9ed5; missing means the default")]
    public double WatchRender { get; init; }

    /// <summary>
    /// The folder holding run directories: a run writes into <c>&lt;PersistenceBaseDir&gt;/&lt;experiment name&gt;</c>.
    /// Relative paths are relative to the current directory. Default: <c>"log"</c> (so <c>tensorboard --logdir log</c>
    /// shows every run). Allowed: a non-empty path.
    /// </summary>
    public string PersistenceBaseDir { get; init; } = "log";

    /// <summary>
    /// Whether a run writes its directory (experiment.json, log.txt, policy weights, TensorBoard events, progress.csv,
    /// result.json). Default: true. With false nothing is written to disk.
    /// </summary>
    public bool PersistenceEnabled { get; init; } = true;

    /// <summary>Whether the run's log also goes to <c>log.txt</c> in the run directory (only when <see cref="PersistenceEnabled"/>). Default: true.</summary>
    public bool LogFileEnabled { get; init; } = true;

    /// <summary>Which policy weight files are written. Default: <see cref="PolicyPersistenceMode.BestAndFinal"/>. Allowed: BestAndFinal, Best, Final.</summary>
    public PolicyPersistenceMode PolicyPersistenceMode { get; init; } = PolicyPersistenceMode.BestAndFinal;

    /// <summary>
    /// Epochs between resumable checkpoints (<c>checkpoints/&lt;envStep&gt;/</c> in the run directory: agent state with
    /// optimisers and replay buffer, trainer counters, environment states, RNG streams; see <see cref="Experiment.Resume"/>).
    /// Default: 0 (off). Allowed: an integer ≥ 0.
    /// </summary>
    public int CheckpointEveryEpochs { get; init; }

    /// <summary>How many of the newest checkpoints are kept (older ones are deleted). Default: 2. Allowed: an integer ≥ 1.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <inheritdoc />
    public void Validate()
    {
        const string owner = nameof(ExperimentConfig);
        if (!string.Equals(Device, "cpu", StringComparison.Ordinal))
            throw new ArgumentException(
                $"{owner}.{nameof(Device)} = {(Device is null ? "null" : $"\"{Device}\"")} is invalid; allowed: \"cpu\" (there is no GPU backend yet).",
                nameof(Device));
        FieldCheck.AtLeast(owner, nameof(WatchNumEpisodes), WatchNumEpisodes, 1);
        FieldCheck.NonNegative(owner, nameof(WatchRender), WatchRender);
        if (WatchRender > 0 && !Watch)
            throw new ArgumentException($"{owner}.{nameof(WatchRender)} = {WatchRender.ToString(System.Globalization.CultureInfo.InvariantCulture)} records the watch episode, but {owner}.{nameof(Watch)} is false; set Watch = true or WatchRender = 0.", nameof(WatchRender));
        if (WatchRender > 0 && !PersistenceEnabled)
            throw new ArgumentException($"{owner}.{nameof(WatchRender)} = {WatchRender.ToString(System.Globalization.CultureInfo.InvariantCulture)} writes watch.gif into the run directory, but {owner}.{nameof(PersistenceEnabled)} is false; enable persistence or set WatchRender = 0.", nameof(WatchRender));
        FieldCheck.AtLeast(owner, nameof(CheckpointEveryEpochs), CheckpointEveryEpochs, 0);
        FieldCheck.AtLeast(owner, nameof(KeepCheckpoints), KeepCheckpoints, 1);
        FieldCheck.NotEmpty(owner, nameof(PersistenceBaseDir), PersistenceBaseDir);
        if (PersistenceBaseDir.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            throw new ArgumentException($"{owner}.{nameof(PersistenceBaseDir)} = \"{PersistenceBaseDir}\" is invalid; allowed: a valid directory path.", nameof(PersistenceBaseDir));
        if (PolicyRestoreDirectory is not null)
            FieldCheck.NotEmpty(owner, nameof(PolicyRestoreDirectory), PolicyRestoreDirectory);
        if (!Enum.IsDefined(PolicyPersistenceMode))
            throw FieldCheck.OutOfRange(owner, nameof(PolicyPersistenceMode), PolicyPersistenceMode, "BestAndFinal, Best or Final");
    }
}
