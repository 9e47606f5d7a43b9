using System.Diagnostics;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>
/// The off-policy training loop (DQN, SAC, ...), with Stable-Baselines3's collection schedule inside Tianshou's
/// epochs: every vector step is stored in the agent's replay buffer; after every <see cref="IOffPolicyAgent.TrainFreq"/>
/// vector steps, once more than <see cref="IOffPolicyAgent.LearningStarts"/> environment steps were taken, the agent
/// applies <see cref="IOffPolicyAgent.GradientSteps"/> updates (−1: one per environment step collected). Before
/// learning starts actions are uniform random. Each epoch is <see cref="TrainerConfig.EpochNumSteps"/> environment
/// steps followed by a test phase of <see cref="TrainerConfig.NumTestEpisodes"/> episodes on the test environments.
/// </summary>
/// <remarks>
/// <para>Collection and updates allocate nothing in steady state (the test phase allocates its result).</para>
/// <para>Metrics: <c>train/episode_return</c> and <c>train/episode_length</c> for each finished training episode,
/// the agent's update metrics (<see cref="IOffPolicyAgent.WriteMetrics"/>) at most every <c>metricsInterval</c>
/// environment steps, <c>test/return_mean</c>, <c>test/return_std</c>, <c>test/length_mean</c> after each test phase
/// and <c>train/steps_per_second</c> per epoch. A loss or gradient norm that is not finite stops training with a
/// <see cref="NonFiniteException"/> naming the step.</para>
/// </remarks>
public sealed class OffPolicyTrainer : IResumableTrainer
{
    private readonly IOffPolicyAgent _agent;
    private readonly VectorEnv _train;
    private readonly Evaluator? _evaluator;
    private readonly TrainerConfig _config;
    private readonly TrainerCallbacks _callbacks;
    private readonly IMetricsSink _sink;
    private readonly int _metricsInterval;
    private readonly int _trainSeed;
    private readonly int _testSeed;
    private readonly bool _discrete;
    private readonly float[] _obs;
    private readonly float[] _envActions;
    private readonly float[] _bufferActions;
    private readonly int[] _intActions;
    private int _stepsSinceTrain;
    private long _lastMetricsStep;
    private double _epochReturnSum;
    private int _epochEpisodes;
    private readonly TrainerStart _start = new();
    private int _epoch;
    private double _best = double.NaN, _last = double.NaN;
    private int _bestEpoch = -1;

    /// <summary>Creates the loop.</summary>
    /// <param name="agent">The agent to train (built for <paramref name="trainEnvs"/>'s spaces and environment count).</param>
    /// <param name="trainEnvs">The training environments; reset by <see cref="Run"/>.</param>
    /// <param name="testEnvs">The test environments (null only when <see cref="TrainerConfig.NumTestEpisodes"/> is 0).</param>
    /// <param name="config">Epochs, steps per epoch, test episodes.</param>
    /// <param name="seed">The experiment seed: the environments' seeds are drawn from its <see cref="SeedStreams.Environments"/> stream.</param>
    /// <param name="callbacks">Epoch hooks, or null.</param>
    /// <param name="metrics">Where metrics go, or null to discard them.</param>
    /// <param name="metricsInterval">Environment steps between writes of the agent's update metrics; ≥ 1.</param>
    /// <param name="trainEnvSeed">When set, the training environments are reset with this seed (environment i with seed + i) instead of one drawn from <paramref name="seed"/>, e.g. the seeds an experiment's environment factory derived.</param>
    /// <param name="testEnvSeed">When set, the test environments are reset with this seed instead of one drawn from <paramref name="seed"/>.</param>
    public OffPolicyTrainer(IOffPolicyAgent agent, VectorEnv trainEnvs, VectorEnv? testEnvs, TrainerConfig config, int seed,
        TrainerCallbacks? callbacks = null, IMetricsSink? metrics = null, int metricsInterval = 1000,
        int? trainEnvSeed = null, int? testEnvSeed = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(trainEnvs);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (metricsInterval <= 0) throw new ArgumentOutOfRangeException(nameof(metricsInterval), metricsInterval, "metricsInterval must be ≥ 1.");
        if (trainEnvs.NumEnvs != agent.NumEnvs)
            throw new ArgumentException($"The agent was built for {agent.NumEnvs} training environments but the vector env has {trainEnvs.NumEnvs}.", nameof(trainEnvs));
        _evaluator = TrainerSetup.CreateEvaluator(agent, trainEnvs, testEnvs, config);
        _agent = agent;
        _train = trainEnvs;
        _config = config;
        _callbacks = callbacks ?? new TrainerCallbacks();
        _sink = metrics ?? NullMetricsSink.Instance;
        _metricsInterval = metricsInterval;
        var envRng = SeedStreams.FromSeed(seed).Environments;
        _trainSeed = SeedStreams.NextEnvSeed(envRng);
        _testSeed = SeedStreams.NextEnvSeed(envRng);
        if (trainEnvSeed is { } ts) _trainSeed = ts;
        if (testEnvSeed is { } es) _testSeed = es;
        _discrete = trainEnvs.SingleActionSpace is Discrete;
        _obs = new float[trainEnvs.NumEnvs * trainEnvs.ObservationSize];
        _envActions = new float[trainEnvs.NumEnvs * trainEnvs.ActionSize];
        _bufferActions = new float[trainEnvs.NumEnvs * trainEnvs.ActionSize];
        _intActions = new int[trainEnvs.NumEnvs];
    }

    /// <summary>Environment steps taken (summed over the training environments).</summary>
    public long EnvSteps { get; private set; }

    /// <summary>Gradient updates applied.</summary>
    public long GradientSteps { get; private set; }

    /// <summary>Wall-clock time spent in test phases so far (included in <see cref="TrainerResult.WallTime"/>).</summary>
    public TimeSpan TestTime { get; private set; }

    /// <summary>
    /// The counters at this point (call from <see cref="TrainerCallbacks.OnEpochEnd"/> for a checkpoint). With the
    /// agent's checkpoint and both vector envs' checkpoint state it is everything needed to continue exactly.
    /// </summary>
    public TrainerState GetState() => new(_epoch, EnvSteps, GradientSteps, _best, _bestEpoch, _last, _stepsSinceTrain, _lastMetricsStep);

    /// <summary>
    /// Makes <see cref="Run"/> continue after <paramref name="state"/>'s epoch instead of starting: the environments are
    /// not reset (restore their checkpoint state yourself) and no test runs at the start.
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

    /// <summary>Runs all epochs (or until the stop callback says so) and returns the outcome. Can be called once.</summary>
    public TrainerResult Run()
    {
        _start.Begin();
        try
        {
            return RunEpochs();
        }
        finally
        {
            // Whatever ends the run (a NonFiniteException included), every metric written so far is made durable.
            _sink.Flush();
        }
    }

    private TrainerResult RunEpochs()
    {
        var wall = Stopwatch.StartNew();
        var epochsDone = 0;
        var stopped = false;
        var firstEpoch = 1;
        if (_start.State is { } r)
        {
            EnvSteps = r.EnvSteps;
            GradientSteps = r.GradientSteps;
            _best = r.BestTestReturn;
            _bestEpoch = r.BestEpoch;
            _last = r.LastTestReturn;
            _stepsSinceTrain = r.StepsSinceTrain;
            _lastMetricsStep = r.LastMetricsStep;
            _epoch = epochsDone = r.Epoch;
            firstEpoch = r.Epoch + 1;
            _train.Observations.CopyTo(_obs, 0);
        }
        else
        {
            _train.Reset(_trainSeed);
            _train.Observations.CopyTo(_obs, 0);
            _evaluator?.Envs.Reset(_testSeed);
            if (_config.TestAtStart && _evaluator is not null)
            {
                var (mean, _) = Test(0);
                _best = _last = mean;
                _bestEpoch = 0;
            }
        }

        var total = _start.ScheduleTotal(_config.TotalSteps);
        for (var epoch = firstEpoch; epoch <= _config.NumEpochs; epoch++)
        {
            _callbacks.OnEpochTrain?.Invoke(epoch, EnvSteps);
            _epochReturnSum = 0;
            _epochEpisodes = 0;
            var epochStart = Stopwatch.GetTimestamp();
            var stepsAtStart = EnvSteps;
            var target = _start.StepOffset + (long)epoch * _config.EpochNumSteps;
            while (EnvSteps < target) CollectStep(total);
            var seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
            if (seconds > 0) _sink.Write("train/steps_per_second", (EnvSteps - stepsAtStart) / seconds, EnvSteps);

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
            _sink.Flush();
            var stop = _callbacks.ShouldStop?.Invoke(info) ?? false;
            _callbacks.OnEpochEnd?.Invoke(info);
            if (stop)
            {
                stopped = epoch < _config.NumEpochs;
                break;
            }
        }
        return new TrainerResult(_best, _bestEpoch, _last, EnvSteps, GradientSteps, epochsDone, wall.Elapsed, stopped);
    }

    /// <summary>One vector step: act, step, store, count, and train when the schedule says so.</summary>
    private void CollectStep(long totalSteps)
    {
        var warmUp = EnvSteps < _agent.LearningStarts;
        _agent.Explore(_obs, _envActions, _bufferActions, warmUp);
        if (_discrete)
        {
            for (var i = 0; i < _intActions.Length; i++) _intActions[i] = (int)_envActions[i];
            _train.Step(_intActions);
        }
        else
        {
            _train.Step(_envActions);
        }
        _agent.Buffer.AddVectorStep(_obs, _bufferActions, _train);
        _train.Observations.CopyTo(_obs, 0);
        EnvSteps += _train.NumEnvs;
        for (var i = 0; i < _train.NumEnvs; i++)
        {
            if (!_train.Dones[i]) continue;
            _epochReturnSum += _train.EpisodeReturns[i];
            _epochEpisodes++;
            _sink.Write("train/episode_return", _train.EpisodeReturns[i], EnvSteps);
            _sink.Write("train/episode_length", _train.EpisodeLengths[i], EnvSteps);
        }
        _agent.OnEnvSteps(EnvSteps, totalSteps);

        if (++_stepsSinceTrain < _agent.TrainFreq) return;
        _stepsSinceTrain = 0;
        if (EnvSteps <= _agent.LearningStarts) return;
        var updates = _agent.GradientSteps >= 0 ? _agent.GradientSteps : _agent.TrainFreq * _train.NumEnvs;
        for (var g = 0; g < updates; g++)
        {
            var stats = _agent.Update(EnvSteps, GradientSteps + 1);
            GradientSteps++;
            NonFiniteException.ThrowIfNonFinite("train/loss", stats.Loss, EnvSteps, GradientSteps);
            NonFiniteException.ThrowIfNonFinite("train/grad_norm", stats.GradNorm, EnvSteps, GradientSteps);
        }
        if (updates > 0 && EnvSteps - _lastMetricsStep >= _metricsInterval)
        {
            _agent.WriteMetrics(_sink, EnvSteps);
            _lastMetricsStep = EnvSteps;
        }
    }

    private (double Mean, double Std) Test(int epoch)
    {
        _callbacks.OnEpochTest?.Invoke(epoch, EnvSteps);
        var start = Stopwatch.GetTimestamp();
        var result = _evaluator!.Evaluate(_agent, _config.NumTestEpisodes, _config.DeterministicEval);
        TestTime += Stopwatch.GetElapsedTime(start);
        result.WriteTo(_sink, EnvSteps);
        return (result.Mean, result.Std);
    }

}
