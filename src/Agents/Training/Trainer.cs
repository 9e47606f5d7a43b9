using System.Diagnostics;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Core;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>
/// The epoch loop every trainer shares (Tianshou's <c>BaseTrainer</c>): a fresh start, a resume after a checkpoint's
/// epoch or a new segment on top of a state; the test at start; then for each epoch the
/// <see cref="TrainerCallbacks.OnEpochTrain"/> hook, collect-and-update iterations until the epoch's environment-step
/// target, <c>train/steps_per_second</c>, the test phase (<c>test/...</c> metrics), best-return tracking, a metrics
/// flush, the stop decision and <see cref="TrainerCallbacks.OnEpochEnd"/>; and a final flush however the run ends.
/// </summary>
/// <remarks>
/// A derived trainer supplies only what differs between algorithm families: how a fresh start resets the training
/// environments (<see cref="ResetTrainingEnvironments"/>), how a resumed start restores its own state
/// (<see cref="RestoreState"/>), one collect-and-update iteration (<see cref="CollectAndUpdateOnce"/>), the gradient-step
/// count (<see cref="GradientSteps"/>) and any extra checkpoint state (<see cref="CompleteState"/>). Training
/// episodes are recorded with <see cref="RecordTrainingEpisode"/>.
/// </remarks>
public abstract class Trainer : ITrainer
{
    private readonly IAgent _agent;
    private readonly Evaluator? _evaluator;
    private readonly TrainerCallbacks _callbacks;
    private readonly TrainerStart _start = new();
    private int _epoch;
    private double _best = double.NaN, _last = double.NaN;
    private int _bestEpoch = -1;
    private readonly IStepCallback? _stepCallback;
    private bool _stopRequested;
    private double _epochReturnSum;
    private int _epochEpisodes;

    /// <summary>Checks the arguments and creates the evaluator for the test phase.</summary>
    /// <param name="agent">The agent to train and test.</param>
    /// <param name="trainEnvs">The training environments (matching the agent's spaces).</param>
    /// <param name="testEnvs">Separate test environments (null only when <see cref="TrainerConfig.NumTestEpisodes"/> is 0).</param>
    /// <param name="config">Epochs, steps per epoch and test episodes (validated here).</param>
    /// <param name="seeds">The environment seeds: a fresh start resets the training environments with <see cref="EnvSeeds.Train"/> and the test environments with <see cref="EnvSeeds.Test"/>.</param>
    /// <param name="callbacks">Epoch hooks, or null.</param>
    /// <param name="metrics">Where metrics go, or null to discard them.</param>
    protected Trainer(IAgent agent, VectorEnv trainEnvs, VectorEnv? testEnvs, TrainerConfig config, EnvSeeds seeds,
        TrainerCallbacks? callbacks, IMetricsSink? metrics)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(trainEnvs);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _evaluator = TrainerSetup.CreateEvaluator(agent, trainEnvs, testEnvs, config);
        _agent = agent;
        TrainEnvs = trainEnvs;
        Config = config;
        Seeds = seeds;
        _callbacks = callbacks ?? new TrainerCallbacks();
        _stepCallback = _callbacks.Step;
        Metrics = metrics ?? NullMetricsSink.Instance;
    }

    /// <summary>The training environments.</summary>
    protected VectorEnv TrainEnvs { get; }

    /// <summary>The run's configuration.</summary>
    protected TrainerConfig Config { get; }

    /// <summary>The environment seeds the trainer was given.</summary>
    protected EnvSeeds Seeds { get; }

    /// <summary>Where metrics go (a null sink when none was given).</summary>
    protected IMetricsSink Metrics { get; }

    /// <summary>Environment steps before this run's first epoch (nonzero after <see cref="ContinueFrom"/>).</summary>
    protected long StepOffset => _start.StepOffset;

    /// <summary>The environment steps the schedules anneal over: <see cref="ScheduleTotalSteps"/> when set, else the run's end.</summary>
    protected long ScheduleTotal => _start.ScheduleTotalSteps ?? _start.StepOffset + Config.TotalSteps;

    /// <inheritdoc />
    public long EnvSteps { get; protected set; }

    /// <inheritdoc />
    public abstract long GradientSteps { get; }

    /// <inheritdoc />
    public TimeSpan TestTime { get; private set; }

    /// <summary>
    /// The counters at this point (call from <see cref="TrainerCallbacks.OnEpochEnd"/> for a checkpoint). With the
    /// agent's checkpoint and both vector envs' checkpoint state it is everything needed to continue exactly.
    /// </summary>
    public TrainerState GetState() =>
        CompleteState(new TrainerState(_epoch, EnvSteps, GradientSteps, _best, _bestEpoch, _last, 0, 0));

    /// <summary>
    /// Makes <see cref="Run"/> continue after <paramref name="state"/>'s epoch instead of starting: the environments are
    /// not reset (restore their checkpoint state and the agent's checkpoint yourself) and no test runs at the start.
    /// </summary>
    public void Resume(TrainerState state) => _start.Resume(state);

    /// <inheritdoc />
    public void ContinueFrom(TrainerState state) => _start.ContinueFrom(state);

    /// <inheritdoc />
    public long? ScheduleTotalSteps
    {
        get => _start.ScheduleTotalSteps;
        set => _start.ScheduleTotalSteps = value;
    }

    /// <summary>
    /// Runs all epochs (or until the stop callback says so) and returns the outcome. Epoch e ends at the first
    /// iteration boundary at or after <c>e · </c><see cref="TrainerConfig.EpochNumSteps"/> environment steps (after a
    /// <see cref="ContinueFrom"/> state's steps). Every metric written is flushed however the run ends (a
    /// <see cref="NonFiniteException"/> included). Can be called once.
    /// </summary>
    public TrainerResult Run()
    {
        _start.Begin();
        try
        {
            return RunEpochs();
        }
        finally
        {
            Metrics.Flush();
        }
    }

    /// <summary>A fresh start: resets the training environments with <see cref="EnvSeeds.Train"/> (and whatever the trainer keeps per episode).</summary>
    protected abstract void ResetTrainingEnvironments();

    /// <summary>
    /// A resumed start (or a new segment): restores the derived trainer's own counters from <paramref name="state"/> and
    /// picks up the training environments' current observations. Called before the shared counters are restored; may
    /// throw when the state does not fit.
    /// </summary>
    protected abstract void RestoreState(TrainerState state);

    /// <summary>One iteration: collects environment steps (advancing <see cref="EnvSteps"/>) and updates the agent when due.</summary>
    /// <param name="scheduleTotalSteps">The environment steps the schedules anneal over.</param>
    protected abstract void CollectAndUpdateOnce(long scheduleTotalSteps);

    /// <summary>Adds the derived trainer's own fields to a checkpoint state holding the shared counters; the default returns it unchanged.</summary>
    protected virtual TrainerState CompleteState(TrainerState state) => state;

    /// <summary>Called by the trainers after each vector step of the training environments: runs the step callback, if any.</summary>
    protected void AfterEnvStep()
    {
        if (_stepCallback is not null && !_stepCallback.OnStep(new StepInfo(_epoch + 1, EnvSteps, GradientSteps))) _stopRequested = true;
    }

    /// <summary>Called by the trainers after each update: runs the step callback's <see cref="IStepCallback.OnUpdate"/>, if any.</summary>
    protected void AfterUpdate()
    {
        if (_stepCallback is not null && !_stepCallback.OnUpdate(new StepInfo(_epoch + 1, EnvSteps, GradientSteps))) _stopRequested = true;
    }

    /// <summary>Records a finished training episode: counted for the epoch's mean return and written as <c>train/episode_return</c> and <c>train/episode_length</c>.</summary>
    protected void RecordTrainingEpisode(double episodeReturn, int episodeLength)
    {
        _epochReturnSum += episodeReturn;
        _epochEpisodes++;
        Metrics.Write("train/episode_return", episodeReturn, EnvSteps);
        Metrics.Write("train/episode_length", episodeLength, EnvSteps);
    }

    private TrainerResult RunEpochs()
    {
        var total = _start.ScheduleTotal(Config.TotalSteps);
        var wall = Stopwatch.StartNew();
        var epochsDone = 0;
        var stopped = false;
        var firstEpoch = 1;
        if (_start.State is { } r)
        {
            RestoreState(r);
            EnvSteps = r.EnvSteps;
            _best = r.BestTestReturn;
            _bestEpoch = r.BestEpoch;
            _last = r.LastTestReturn;
            _epoch = epochsDone = r.Epoch;
            firstEpoch = r.Epoch + 1;
        }
        else
        {
            ResetTrainingEnvironments();
            _evaluator?.Envs.Reset(Seeds.Test);
            if (Config.TestAtStart && _evaluator is not null)
            {
                var (mean, _) = Test(0);
                _best = _last = mean;
                _bestEpoch = 0;
            }
        }

        for (var epoch = firstEpoch; epoch <= Config.NumEpochs; epoch++)
        {
            _callbacks.OnEpochTrain?.Invoke(epoch, EnvSteps);
            _epochReturnSum = 0;
            _epochEpisodes = 0;
            var epochStart = Stopwatch.GetTimestamp();
            var stepsAtStart = EnvSteps;
            var target = _start.StepOffset + (long)epoch * Config.EpochNumSteps;
            while (EnvSteps < target && !_stopRequested) CollectAndUpdateOnce(total);
            var seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
            if (seconds > 0) Metrics.Write("train/steps_per_second", (EnvSteps - stepsAtStart) / seconds, EnvSteps);

            double testMean = double.NaN, testStd = double.NaN;
            if (_evaluator is not null)
            {
                (testMean, testStd) = Test(epoch);
                _last = testMean;
                if (double.IsNaN(_best) || testMean > _best)
                {
                    _best = testMean;
                    _bestEpoch = epoch;
                }
            }
            epochsDone = _epoch = epoch;
            var trainMean = _epochEpisodes > 0 ? _epochReturnSum / _epochEpisodes : double.NaN;
            var info = new EpochInfo(epoch, EnvSteps, GradientSteps, testMean, testStd, _best, trainMean);
            Metrics.Flush();
            var stop = _callbacks.ShouldStop?.Invoke(info) ?? false;
            _callbacks.OnEpochEnd?.Invoke(info);
            if (stop || _stopRequested)
            {
                stopped = epoch < Config.NumEpochs;
                break;
            }
        }
        return new TrainerResult(_best, _bestEpoch, _last, EnvSteps, GradientSteps, epochsDone, wall.Elapsed, stopped);
    }

    private (double Mean, double Std) Test(int epoch)
    {
        _callbacks.OnEpochTest?.Invoke(epoch, EnvSteps);
        // The test environments were seeded at the fresh start; each test phase continues their generators.
        var start = Stopwatch.GetTimestamp();
        var result = _evaluator!.Evaluate(_agent, Config.NumTestEpisodes, Config.DeterministicEval);
        TestTime += Stopwatch.GetElapsedTime(start);
        result.WriteTo(Metrics, EnvSteps);
        return (result.Mean, result.Std);
    }
}
