using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace RlExperiments.Tuning;

/// <summary>
/// Hyperparameter optimisation in the manner of Optuna / rlberry's <c>optimize_hyperparams</c>: a sampler suggests
/// configurations, the objective evaluates them (optionally reporting intermediate values for the pruner), and every
/// trial is stored in the study's storage (<see cref="HyperparameterOptimizerOptions.Storage"/>: by default an SQLite
/// <c>study.db</c> in <see cref="HyperparameterOptimizerOptions.StudyDirectory"/>; a PostgreSQL server for workers on many
/// machines), with <c>best_params.json</c> and <c>trials.csv</c> rewritten atomically after every finished trial.
/// Trials are taken through the storage's atomic claim, so any number of processes share a study without overshooting NTrials.
/// </summary>
/// <remarks>
/// <para>Trials run on <see cref="HyperparameterOptimizerOptions.NJobs"/> dedicated threads; the objective is called on
/// one of them and should itself stay single-threaded. Suggestions are made one at a time and see every trial, running
/// and waiting ones included (so parallel workers do not get the same grid point). With NJobs = 1 and a fixed seed the
/// suggested configurations are the same run to run (for a deterministic objective).</para>
/// <para>An objective that throws, or returns NaN or an infinity, makes its trial <see cref="TrialState.Failed"/> and the
/// study goes on; <see cref="TrialPrunedException"/> makes it <see cref="TrialState.Pruned"/>.</para>
/// <para>Crash safety: a continued study (<see cref="HyperparameterOptimizerOptions.ContinuePrevious"/>) marks trials a
/// crashed process left running (heartbeat older than <see cref="HyperparameterOptimizerOptions.StaleAfter"/>) as failed
/// ("stale: ...") and re-runs their configurations first, with the same seeds.</para>
/// </remarks>
public sealed class HyperparameterOptimizer
{
    /// <summary>Creates an optimizer; the options are validated here.</summary>
    /// <param name="options">Settings.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public HyperparameterOptimizer(HyperparameterOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public HyperparameterOptimizerOptions Options { get; }

    /// <summary>Runs the study until it has <see cref="HyperparameterOptimizerOptions.NTrials"/> trials, the timeout passes, or the grid is exhausted.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="objective">Evaluates <see cref="TrialContext.Configuration"/> and returns its value.</param>
    /// <returns>All trials of the study (previous sessions' included) and the best one.</returns>
    public StudyResult Optimize(ConfigurationSpace space, Func<TrialContext, double> objective) =>
        Optimize(space, objective, Array.Empty<Configuration>());

    /// <summary>
    /// As <see cref="Optimize(ConfigurationSpace, Func{TrialContext, double})"/>, evaluating <paramref name="enqueue"/>
    /// first (Optuna's <c>enqueue_trial</c> with <c>skip_if_exists</c>: a configuration some trial of the study already
    /// has is not queued again, so re-running the same call to continue a study does not duplicate them).
    /// </summary>
    /// <param name="space">The search space.</param>
    /// <param name="objective">Evaluates <see cref="TrialContext.Configuration"/> and returns its value.</param>
    /// <param name="enqueue">Configurations of <paramref name="space"/> to evaluate before sampling (they count toward NTrials).</param>
    /// <exception cref="InvalidOperationException">The directory already holds a study and ContinuePrevious is false, or the stored study does not match.</exception>
    public StudyResult Optimize(ConfigurationSpace space, Func<TrialContext, double> objective, IEnumerable<Configuration> enqueue)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(enqueue);
        var queued = enqueue.ToList();
        for (int i = 0; i < queued.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(queued[i], nameof(enqueue));
            // Round trip through the space: values take the hyperparameters' types (an integer literal for a float becomes a double).
            try { queued[i] = Configuration.FromJson(queued[i].ToJson(), space); }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Enqueued configuration {i} {queued[i]} does not fit space '{space.Name}': {e.Message}", nameof(enqueue), e);
            }
        }
        var dir = Path.GetFullPath(Options.StudyDirectory);
        var given = Options.Storage ?? StudyStorageUrl.FromEnvironment();
        var url = given is null ? null : StudyStorageUrl.Parse(given);
        if (url is null)
        {
            var db = Path.Combine(dir, SqliteStudyStorage.FileName);
            if (File.Exists(db) && !Options.ContinuePrevious)
                throw new InvalidOperationException(
                    $"The study directory '{dir}' already holds a study ({SqliteStudyStorage.FileName}); nothing was changed. "
                    + "Set HyperparameterOptimizerOptions.ContinuePrevious = true to continue it, or choose another StudyDirectory.");
            url = StudyStorageUrl.Sqlite(db);
        }
        using var storage = url.Open(Options.StudyName);
        if (given is not null)
            if (!Options.ContinuePrevious && storage.GetStudy() is not null)
                throw new InvalidOperationException(
                    $"The storage {url} already holds study '{Options.StudyName}'; nothing was changed. "
                    + "Set HyperparameterOptimizerOptions.ContinuePrevious = true to continue it, or choose another StudyName.");
        Directory.CreateDirectory(dir);
        return new Session(this, storage, dir, url.Redacted, space, objective).Run(queued);
    }

    /// <summary>One Optimize call: its id, threads, stop signal and shared state.</summary>
    private sealed class Session
    {
        private readonly HyperparameterOptimizerOptions _o;
        private readonly IStudyStorage _storage;
        private readonly string _dir, _where;
        private readonly ConfigurationSpace _space;
        private readonly Func<TrialContext, double> _objective;
        private readonly ISampler _sampler;
        private readonly string _id = SessionOwner.NewSessionId();
        private readonly object _suggestGate = new(), _filesGate = new();
        private readonly ConcurrentDictionary<int, byte> _running = new();
        private readonly CancellationTokenSource _timeout = new();
        private readonly ManualResetEventSlim _done = new();
        private readonly Stopwatch _clock = new();
        private StudyInfo _study = null!;
        private ExceptionDispatchInfo? _failure;
        private volatile bool _exhausted;

        public Session(HyperparameterOptimizer owner, IStudyStorage storage, string dir, string where, ConfigurationSpace space, Func<TrialContext, double> objective)
        {
            _o = owner.Options; _storage = storage; _dir = dir; _where = where; _space = space; _objective = objective;
            _sampler = _o.Sampler switch
            {
                SamplerKind.Random => new RandomSampler(),
                SamplerKind.Grid => new GridSampler(_o.GridPointsPerNumeric),
                SamplerKind.CmaEs => new CmaEsSampler(_o.Direction),
                _ => new TpeSampler(_o.Direction, _o.TpeStartupTrials),
            };
        }

        public StudyResult Run(List<Configuration> queued)
        {
            var now = DateTime.UtcNow;
            _study = OpenStudy(now);
            RequeueStale(now);
            var existing = _storage.GetTrials().Select(t => t.Configuration).ToHashSet();
            foreach (var c in queued)
                if (existing.Add(c)) _storage.CreateTrial(c, TrialState.Waiting, null, null, now);

            _clock.Start();
            if (_o.Timeout is { } timeout) _timeout.CancelAfter(timeout);
            var heartbeat = new Thread(Heartbeat) { IsBackground = true, Name = "hpo-heartbeat" };
            heartbeat.Start();
            var workers = Enumerable.Range(0, _o.NJobs)
                .Select(i => new Thread(Worker) { IsBackground = true, Name = $"hpo-worker-{i}" })
                .ToList();
            try
            {
                foreach (var w in workers) w.Start();
                foreach (var w in workers) w.Join();
            }
            finally
            {
                _done.Set();
                heartbeat.Join();
                _timeout.Dispose();
            }
            _failure?.Throw();
            if (_exhausted) _o.Logger?.LogInformation("Study {Study}: every grid point was tried; stopping.", _study.Name);
            else if (_timeout.IsCancellationRequested) _o.Logger?.LogInformation("Study {Study}: the timeout {Timeout} passed; stopping.", _study.Name, _o.Timeout);
            StudyResult result;
            IReadOnlyList<string> files;
            lock (_filesGate) files = StudyFiles.Write(result = new StudyResult(_dir, _study, _storage.GetTrials()), _space);
            _o.Logger?.LogInformation("Study {Study}: wrote {Files}", _study.Name, string.Join(", ", files));
            return result;
        }

        private StudyInfo OpenStudy(DateTime now)
        {
            var study = _storage.GetStudy();
            if (study is null)
            {
                var fresh = new StudyInfo(_o.StudyName, _o.Direction, _space.Name, now);
                try
                {
                    _storage.CreateStudy(fresh);
                    return fresh;
                }
                catch (InvalidOperationException)
                {
                    // Another process created it in the meantime: continue it like any existing study.
                    // (Not an exception filter: filters run before the storage's transaction is disposed.)
                    var raced = _storage.GetStudy();
                    if (raced is null) throw;
                    study = raced;
                }
            }
            string Mismatch(string what, object stored, object given) =>
                $"The study in {_where} was created with {what} {stored}, but this optimizer has {given}. "
                + $"Use the same {what} to continue it, or choose another StudyDirectory.";
            if (study.Name != _o.StudyName) throw new InvalidOperationException(Mismatch("StudyName", $"'{study.Name}'", $"'{_o.StudyName}'"));
            if (study.Direction != _o.Direction) throw new InvalidOperationException(Mismatch("Direction", study.Direction, _o.Direction));
            if (study.SpaceName != _space.Name) throw new InvalidOperationException(Mismatch("configuration space name", $"'{study.SpaceName}'", $"'{_space.Name}'"));
            foreach (var t in _storage.GetTrials())
                if (_space.GetErrors(t.Configuration) is { Count: > 0 } errors)
                    throw new InvalidOperationException($"Trial {t.Number} of the study in {_where} does not fit space '{_space.Name}': {string.Join(" ", errors)}");
            return study;
        }

        private void Heartbeat()
        {
            while (!_done.Wait(_o.HeartbeatInterval))
            {
                try { _storage.Heartbeat(_running.Keys.ToArray(), DateTime.UtcNow); }
                catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException) { /* the next beat retries */ }
            }
        }

        private void Worker()
        {
            try
            {
                while (Claim() is { } claim) RunTrial(claim.Number, claim.Configuration, claim.Seeds);
            }
            catch (Exception e)
            {
                lock (_suggestGate) _failure ??= ExceptionDispatchInfo.Capture(e);
                try { _timeout.Cancel(); } catch (ObjectDisposedException) { }
            }
        }

        private bool Stopping => _timeout.IsCancellationRequested || _exhausted || _failure is not null;

        private void RequeueStale(DateTime now)
        {
            foreach (var t in _storage.RequeueStaleTrials(t => StudyStorageChecks.StaleReason(t, now - _o.StaleAfter), _id, now))
                _o.Logger?.LogWarning("Study {Study}: trial {Stale} was left running by a crashed session; marked failed (stale) and its configuration re-queued as trial {Number}.", _study.Name, t.RequeuedFrom, t.Number);
        }

        /// <summary>
        /// Starts the next trial through the storage's atomic claim (a waiting one first, else a new suggestion); null
        /// when the study should stop. When the study is full but other sessions still run trials, waits: one of them
        /// may die, and its trial is then re-queued (stale) and re-run here.
        /// </summary>
        private (int Number, Configuration Configuration, int[] Seeds)? Claim()
        {
            var poll = TimeSpan.FromTicks(Math.Min(_o.HeartbeatInterval.Ticks, TimeSpan.FromSeconds(1).Ticks));
            while (true)
            {
                lock (_suggestGate)
                {
                    if (Stopping) return null;
                    var now = DateTime.UtcNow;
                    RequeueStale(now);
                    StudyTrial? claimed;
                    try
                    {
                        claimed = _storage.ClaimTrial(_o.NTrials, trials =>
                        {
                            int predicted = trials.Count == 0 ? 0 : trials[^1].Number + 1;
                            try { return _sampler.Suggest(_space, trials.Select(t => t.ToTrial()).ToList(), TrialSeeds.Sampler(_o.Seed, predicted)); }
                            catch (InvalidOperationException) when (_sampler is GridSampler) { _exhausted = true; throw; }
                        }, _id, now);
                    }
                    catch (InvalidOperationException) when (_exhausted) { return null; }
                    if (claimed is not null)
                    {
                        _running[claimed.Number] = 0;
                        int seedNumber = claimed.RequeuedFrom is null ? claimed.Number : SeedNumber(claimed, _storage.GetTrials());
                        return (claimed.Number, claimed.Configuration, TrialSeeds.Fit(_o.Seed, seedNumber, _o.NFit));
                    }
                    if (!_storage.GetTrials().Any(t => t.State == TrialState.Running && t.SessionId != _id)) return null;
                }
                if (_timeout.Token.WaitHandle.WaitOne(poll)) return null;
            }
        }

        /// <summary>A re-queued trial takes the seeds of the trial it re-runs (following the chain to the original).</summary>
        private static int SeedNumber(StudyTrial trial, IReadOnlyList<StudyTrial> trials)
        {
            var byNumber = trials.ToDictionary(t => t.Number);
            int number = trial.Number;
            int? from = trial.RequeuedFrom;
            while (from is int f && byNumber.TryGetValue(f, out var origin) && number != f)
            {
                number = f;
                from = origin.RequeuedFrom;
            }
            return number;
        }

        private void RunTrial(int number, Configuration config, int[] seeds)
        {
            TrialState state;
            double? value = null;
            string? error = null;
            try
            {
                var context = new TrialContext(number, config, seeds, _timeout.Token, _storage, _o.Pruner, _o.Direction);
                double v = _objective(context);
                if (double.IsFinite(v)) { state = TrialState.Complete; value = v; }
                else { state = TrialState.Failed; error = $"The objective returned {v}; allowed: a finite number."; }
            }
            catch (TrialPrunedException)
            {
                state = TrialState.Pruned;
                if (_storage.GetTrial(number).LastIntermediateValue is { } last && double.IsFinite(last.Value)) value = last.Value;
            }
            catch (OperationCanceledException) when (_timeout.IsCancellationRequested)
            {
                state = TrialState.Failed;
                error = $"Stopped: the study Timeout ({_o.Timeout}) passed while the trial ran.";
            }
            catch (Exception e)
            {
                state = TrialState.Failed;
                error = $"{e.GetType().Name}: {e.Message}";
            }
            if (!_storage.FinishTrial(number, state, value, error, DateTime.UtcNow))
                _o.Logger?.LogWarning("Study {Study}: trial {Number} finished ({State}) but another session had already declared it stale; its result was not stored.", _study.Name, number, state);
            else if (state == TrialState.Failed)
                _o.Logger?.LogWarning("Study {Study}: trial {Number} failed: {Error} Parameters: {Configuration}.", _study.Name, number, error, config);
            else
                _o.Logger?.LogInformation("Study {Study}: trial {Number} {State} with value {Value}. Parameters: {Configuration}.", _study.Name, number, state == TrialState.Complete ? "finished" : "pruned", value, config);
            _running.TryRemove(number, out _);
            // Snapshot inside the lock so an older snapshot never overwrites a newer one.
            lock (_filesGate) StudyFiles.Write(new StudyResult(_dir, _study, _storage.GetTrials()), _space);
        }
    }
}
