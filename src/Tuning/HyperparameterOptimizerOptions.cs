using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RlExperiments.Tuning;

/// <summary>Settings of a <see cref="HyperparameterOptimizer"/> (rlberry's <c>optimize_hyperparams</c> arguments).</summary>
public sealed record HyperparameterOptimizerOptions
{
    /// <summary>
    /// Directory of the study: <c>best_params.json</c> and <c>trials.csv</c> go there, and <c>study.db</c> when the
    /// storage is the default SQLite file. Required.
    /// </summary>
    public required string StudyDirectory { get; init; }

    /// <summary>
    /// Where the trials live, as an Optuna-style URL (<see cref="StudyStorageUrl"/>): <c>postgresql://user:password@host:port/db</c>
    /// for a study that workers on many machines share, or <c>sqlite:///path/study.db</c>. Null (default): the URL in
    /// the environment variable <c>RLX_STORAGE</c> when set, else <c>study.db</c> in <see cref="StudyDirectory"/>.
    /// </summary>
    public string? Storage { get; init; }

    /// <summary>Study name (recorded in the database; a continued study must use the same name). Default "study".</summary>
    public string StudyName { get; init; } = "study";

    /// <summary>Whether the objective is maximised (default, as rlberry) or minimised.</summary>
    public StudyDirection Direction { get; init; } = StudyDirection.Maximize;

    /// <summary>
    /// Total number of trials the study should have (≥ 1; default 20). Trials from previous sessions count (complete,
    /// pruned and failed ones, and trials another live process is running), except trials that went stale and were
    /// re-queued: their re-run counts instead. So continuing a study with 12 finished trials and NTrials = 20 runs 8 more.
    /// </summary>
    public int NTrials { get; init; } = 20;

    /// <summary>
    /// Wall-clock budget of one <see cref="HyperparameterOptimizer.Optimize(ConfigurationSpace, Func{TrialContext, double})"/>
    /// call; null = none (default). After it no trial starts and <see cref="TrialContext.CancellationToken"/> is cancelled.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Trials run in parallel (≥ 1; default 1), each on its own dedicated thread.</summary>
    public int NJobs { get; init; } = 1;

    /// <summary>Seeds per trial exposed as <see cref="TrialContext.Seeds"/> (≥ 1; default 1).</summary>
    public int NFit { get; init; } = 1;

    /// <summary>Sampler (default <see cref="SamplerKind.Tpe"/>, which follows <see cref="Direction"/>).</summary>
    public SamplerKind Sampler { get; init; } = SamplerKind.Tpe;

    /// <summary>Points per numeric hyperparameter for <see cref="SamplerKind.Grid"/> (≥ 1; default 5).</summary>
    public int GridPointsPerNumeric { get; init; } = 5;

    /// <summary>Random trials before TPE starts (≥ 0; default 10, as Optuna).</summary>
    public int TpeStartupTrials { get; init; } = 10;

    /// <summary>
    /// Pruner asked by <see cref="TrialContext.ShouldPrune"/> (default <see cref="SuccessiveHalvingPruner"/> with
    /// rlberry's "halving" settings; <see cref="IPruner.FromName"/> maps "none"/"halving"). It only matters when the
    /// objective reports intermediate values.
    /// </summary>
    public IPruner Pruner { get; init; } = new SuccessiveHalvingPruner();

    /// <summary>Seed of the suggestions and of <see cref="TrialContext.Seeds"/> (default 42).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Whether to continue the study already in <see cref="StudyDirectory"/> (default false: an existing study is an
    /// error, so nothing is overwritten by accident). When true and there is no study yet, one is created.
    /// </summary>
    public bool ContinuePrevious { get; init; }

    /// <summary>How often the running trials' heartbeat is refreshed in the database (&gt; 0; default 10 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A running trial of another session whose heartbeat is older than this is taken for the leftover of a crashed
    /// process: marked failed ("stale: ...") and its configuration re-queued (&gt; <see cref="HeartbeatInterval"/>; default 60 s).
    /// A trial whose session ran on this machine in a process that is gone (killed, crashed) is stale at once.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives one line per finished trial (like Optuna's "Trial 3 finished with value ..."), stale trials and why the study stopped; null = silent.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field, its value and what is allowed.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(StudyDirectory))
            throw Invalid(nameof(StudyDirectory), $"'{StudyDirectory}'", "a directory path");
        if (Storage is not null) StudyStorageUrl.Parse(Storage);
        if (string.IsNullOrWhiteSpace(StudyName))
            throw Invalid(nameof(StudyName), $"'{StudyName}'", "a non-empty name");
        if (!Enum.IsDefined(Direction))
            throw Invalid(nameof(Direction), Direction.ToString(), "Minimize, Maximize");
        if (NTrials < 1) throw Invalid(nameof(NTrials), NTrials.ToString(CultureInfo.InvariantCulture), "an integer ≥ 1");
        if (Timeout is { } t && t <= TimeSpan.Zero) throw Invalid(nameof(Timeout), t.ToString(), "a positive duration, or null for none");
        if (NJobs < 1) throw Invalid(nameof(NJobs), NJobs.ToString(CultureInfo.InvariantCulture), "an integer ≥ 1");
        if (NFit < 1) throw Invalid(nameof(NFit), NFit.ToString(CultureInfo.InvariantCulture), "an integer ≥ 1");
        if (!Enum.IsDefined(Sampler)) throw Invalid(nameof(Sampler), Sampler.ToString(), "Tpe, Random, Grid, CmaEs");
        if (GridPointsPerNumeric < 1) throw Invalid(nameof(GridPointsPerNumeric), GridPointsPerNumeric.ToString(CultureInfo.InvariantCulture), "an integer ≥ 1");
        if (TpeStartupTrials < 0) throw Invalid(nameof(TpeStartupTrials), TpeStartupTrials.ToString(CultureInfo.InvariantCulture), "an integer ≥ 0");
        if (Pruner is null) throw Invalid(nameof(Pruner), "null", "an IPruner (NopPruner for none)");
        if (HeartbeatInterval <= TimeSpan.Zero) throw Invalid(nameof(HeartbeatInterval), HeartbeatInterval.ToString(), "a positive duration");
        if (StaleAfter <= HeartbeatInterval)
            throw Invalid(nameof(StaleAfter), StaleAfter.ToString(), $"a duration longer than HeartbeatInterval ({HeartbeatInterval})");
    }

    private static ArgumentException Invalid(string field, string value, string allowed) =>
        new($"HyperparameterOptimizerOptions.{field} = {value} is invalid; allowed: {allowed}.", field);
}
