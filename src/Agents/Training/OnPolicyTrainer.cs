using System.Diagnostics;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Normalization;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>
/// The on-policy training loop (Tianshou's <c>OnPolicyTrainer</c> organisation, Stable-Baselines3's
/// <c>OnPolicyAlgorithm.collect_rollouts</c> semantics). Each iteration collects
/// <see cref="OnPolicyRolloutSettings.NumSteps"/> steps of every training environment into a
/// <see cref="RolloutBuffer"/>, computes GAE and runs the algorithm's update. An epoch is as many
/// iterations as it takes to reach <c>epoch · </c><see cref="TrainerConfig.EpochNumSteps"/> environment steps in
/// total; after each epoch come the test phase, a metrics flush and the callbacks.
/// </summary>
/// <remarks>
/// <para>Truncated episodes are bootstrapped from the critic's value of the true final observation
/// (<see cref="VectorEnv.FinalObservations"/>), terminated ones are not. Continuous actions are clipped to
/// the Box before stepping; the buffer keeps the unclipped sample, whose log-probability was computed.</para>
/// <para>When the algorithm has an <see cref="ObservationNormalizer"/>, every observation the training
/// environments return (resets included) updates it before being normalised, as VecNormalize does; when
/// <see cref="OnPolicyRolloutSettings.NormalizeRewards"/> is set, rewards are scaled by a
/// <see cref="RewardNormalizer"/>. Test episodes see raw environments and frozen statistics.</para>
/// <para>Metrics per update: <c>train/policy_loss</c>, <c>train/value_loss</c>, <c>train/entropy</c>,
/// <c>train/approx_kl</c>, <c>train/clip_fraction</c>, <c>train/grad_norm</c>, <c>train/learning_rate</c>,
/// <c>train/clip_range</c>, <c>train/explained_variance</c>; per finished training episode
/// <c>train/episode_return</c> and <c>train/episode_length</c>; per epoch <c>train/steps_per_second</c>; per test
/// phase <c>test/return_mean</c>, <c>test/return_std</c> and <c>test/length_mean</c> (as the off-policy trainer).</para>
/// <para>Steady-state iterations (<see cref="CollectAndUpdate"/>) allocate nothing.</para>
/// </remarks>
public sealed class OnPolicyTrainer : IResumableTrainer
{
    private readonly IOnPolicyAlgorithm _algorithm;
    private readonly VectorEnv _envs;
    private readonly Evaluator? _evaluator;
    private readonly TrainerConfig _config;
    private readonly TrainerCallbacks _callbacks;
    private readonly IMetricsSink _metrics;
    private readonly OnPolicyRolloutSettings _rollout;
    private readonly ObservationNormalizer? _obsNorm;
    private readonly RewardNormalizer? _rewardNorm;
    private readonly Box? _actionBox;
    private readonly int _discreteStart;
    private readonly int _trainSeed;
    private readonly int _testSeed;
    private bool _needsReset = true;
    private readonly TrainerStart _start = new();
    private int _epoch;
    private double _best = double.NaN, _last = double.NaN;
    private int _bestEpoch = -1;

    // Per-step scratch, allocated once.
    private float[] _obs;
    private float[] _nextObs;
    private readonly float[] _actions;
    private readonly float[] _envActions;
    private readonly int[] _discreteActions;
    private readonly float[] _values;
    private readonly float[] _logProbs;
    private readonly float[] _rewards;
    private readonly float[] _finalObs;
    private readonly float[] _finalValues;
    private readonly int[] _truncatedEnvs;

    // Training episodes that ended in the current epoch.
    private double _epochReturnSum;
    private int _epochEpisodes;

    /// <summary>Creates the trainer.</summary>
    /// <param name="algorithm">The agent to train (built for <paramref name="trainEnvs"/>'s spaces).</param>
    /// <param name="trainEnvs">The training environments; reset by <see cref="Run"/> (or the first <see cref="CollectRollout"/>).</param>
    /// <param name="testEnvs">Separate test environments (null only when <see cref="TrainerConfig.NumTestEpisodes"/> is 0).</param>
    /// <param name="config">Epochs, steps per epoch and test episodes.</param>
    /// <param name="seed">The experiment seed: the environments' seeds are drawn from its <see cref="SeedStreams.Environments"/> stream.</param>
    /// <param name="callbacks">Epoch hooks, or null.</param>
    /// <param name="metrics">Where scalars go, or null to discard them.</param>
    /// <param name="trainEnvSeed">When set, the training environments are reset with this seed (environment i with seed + i) instead of one drawn from <paramref name="seed"/>, e.g. the seeds an experiment's environment factory derived.</param>
    /// <param name="testEnvSeed">When set, the test environments are reset with this seed instead of one drawn from <paramref name="seed"/>.</param>
    public OnPolicyTrainer(
        IOnPolicyAlgorithm algorithm,
        VectorEnv trainEnvs,
        VectorEnv? testEnvs,
        TrainerConfig config,
        int seed,
        TrainerCallbacks? callbacks = null,
        IMetricsSink? metrics = null,
        int? trainEnvSeed = null,
        int? testEnvSeed = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(trainEnvs);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _evaluator = TrainerSetup.CreateEvaluator(algorithm, trainEnvs, testEnvs, config);

        _algorithm = algorithm;
        _envs = trainEnvs;
        _config = config;
        _callbacks = callbacks ?? new TrainerCallbacks();
        _metrics = metrics ?? NullMetricsSink.Instance;
        _rollout = algorithm.Rollout;
        _obsNorm = algorithm.ObservationNormalizer;
        if (_rollout.NormalizeRewards)
            _rewardNorm = new RewardNormalizer(trainEnvs.NumEnvs, _rollout.Gamma, _rollout.RewardClip);
        switch (trainEnvs.SingleActionSpace)
        {
            case Discrete d: _discreteStart = d.Start; break;
            case Box b: _actionBox = b; break;
            default: throw new ArgumentException($"On-policy training supports Discrete and Box action spaces; got {trainEnvs.SingleActionSpace}.", nameof(trainEnvs));
        }

        var n = trainEnvs.NumEnvs;
        var obsSize = trainEnvs.ObservationSize;
        var actionSize = _actionBox?.FlatSize ?? 1;
        Buffer = new RolloutBuffer(_rollout.NumSteps, n, obsSize, actionSize);
        _obs = new float[n * obsSize];
        _nextObs = new float[n * obsSize];
        _actions = new float[n * actionSize];
        _envActions = new float[n * actionSize];
        _discreteActions = new int[n];
        _values = new float[n];
        _logProbs = new float[n];
        _rewards = new float[n];
        _finalObs = new float[n * obsSize];
        _finalValues = new float[n];
        _truncatedEnvs = new int[n];
        var envRng = SeedStreams.FromSeed(seed).Environments;
        _trainSeed = SeedStreams.NextEnvSeed(envRng);
        _testSeed = SeedStreams.NextEnvSeed(envRng);
        if (trainEnvSeed is { } ts) _trainSeed = ts;
        if (testEnvSeed is { } es) _testSeed = es;
    }

    /// <summary>The rollout buffer (holds the last rollout and its advantages after each iteration).</summary>
    public RolloutBuffer Buffer { get; }

    /// <summary>Environment steps taken so far (summed over environments).</summary>
    public long EnvSteps { get; private set; }

    /// <summary>The reward normaliser (when <see cref="OnPolicyRolloutSettings.NormalizeRewards"/> is set), whose state a checkpoint keeps.</summary>
    public RewardNormalizer? RewardNormalizer => _rewardNorm;

    /// <summary>Wall-clock time spent in test phases so far (included in <see cref="TrainerResult.WallTime"/>).</summary>
    public TimeSpan TestTime { get; private set; }

    /// <summary>The statistics of the last update.</summary>
    public OnPolicyUpdateStats LastUpdate { get; private set; }

    /// <summary>The environment-step budget the schedules anneal over: <see cref="ScheduleTotalSteps"/> when set, else the run's end (<see cref="TrainerConfig.TotalSteps"/> after a <see cref="ContinueFrom"/> state's steps).</summary>
    public long TotalSteps => _start.ScheduleTotalSteps ?? _start.StepOffset + _config.TotalSteps;

    /// <summary>The counters at this point (call from <see cref="TrainerCallbacks.OnEpochEnd"/> for a checkpoint), with the reward-normalisation state.</summary>
    public TrainerState GetState() => new(_epoch, EnvSteps, _algorithm.GradientSteps, _best, _bestEpoch, _last, 0, 0,
        _rewardNorm?.GetState(), _rewardNorm?.GetReturns());

    /// <summary>
    /// Makes <see cref="Run"/> continue after <paramref name="state"/>'s epoch: the environments are not reset (restore
    /// their checkpoint state and the agent's checkpoint yourself) and no test runs at the start.
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
    /// rollout boundary at or after e · <see cref="TrainerConfig.EpochNumSteps"/> environment steps, so the run
    /// takes ⌈TotalSteps / (NumSteps · N)⌉ rollouts, as Stable-Baselines3's <c>learn(total_timesteps)</c>. Can be called once.
    /// </summary>
    public TrainerResult Run()
    {
        _start.Begin();
        _ = _start.ScheduleTotal(_config.TotalSteps);
        var clock = Stopwatch.StartNew();
        var epochsDone = 0;
        var stopped = false;
        var firstEpoch = 1;
        if (_start.State is { } r)
        {
            if (r.GradientSteps != _algorithm.GradientSteps)
                throw new InvalidOperationException($"The agent has applied {_algorithm.GradientSteps} gradient steps but the trainer state says {r.GradientSteps}; load the agent's checkpoint of the same step first.");
            EnvSteps = r.EnvSteps;
            _best = r.BestTestReturn;
            _bestEpoch = r.BestEpoch;
            _last = r.LastTestReturn;
            _epoch = epochsDone = r.Epoch;
            firstEpoch = r.Epoch + 1;
            if (_rewardNorm is not null)
            {
                if (r.RewardStatistics is null || r.RewardReturns is null)
                    throw new InvalidDataException("The trainer state holds no reward-normalisation statistics, but this run normalises rewards.");
                _rewardNorm.SetState(r.RewardStatistics);
                _rewardNorm.SetReturns(r.RewardReturns);
            }
            ProcessObservations(_envs.Observations, _obs, update: false);
            _needsReset = false;
        }
        else
        {
            if (_needsReset) ResetEnvs();
            _evaluator?.Envs.Reset(_testSeed);
            if (_config.TestAtStart && _evaluator is not null)
            {
                var (mean, _) = Test(0);
                _best = _last = mean;
                _bestEpoch = 0;
            }
        }

        for (var epoch = firstEpoch; epoch <= _config.NumEpochs; epoch++)
        {
            _callbacks.OnEpochTrain?.Invoke(epoch, EnvSteps);
            _epochReturnSum = 0;
            _epochEpisodes = 0;
            var epochStart = Stopwatch.GetTimestamp();
            var stepsAtStart = EnvSteps;
            var target = _start.StepOffset + (long)epoch * _config.EpochNumSteps;
            while (EnvSteps < target) CollectAndUpdate();
            var seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
            if (seconds > 0) _metrics.Write("train/steps_per_second", (EnvSteps - stepsAtStart) / seconds, EnvSteps);

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
            var info = new EpochInfo(epoch, EnvSteps, _algorithm.GradientSteps, testMean, testStd, _best,
                _epochEpisodes > 0 ? _epochReturnSum / _epochEpisodes : double.NaN);
            _metrics.Flush();
            var stop = _callbacks.ShouldStop?.Invoke(info) ?? false;
            _callbacks.OnEpochEnd?.Invoke(info);
            if (stop)
            {
                stopped = epoch < _config.NumEpochs;
                break;
            }
        }
        _metrics.Flush();
        return new TrainerResult(_best, _bestEpoch, _last, EnvSteps, _algorithm.GradientSteps, epochsDone, clock.Elapsed, stopped);
    }

    /// <summary>
    /// One iteration: collects a rollout, computes returns and advantages, runs the algorithm's update and
    /// writes the update's metrics. What <see cref="Run"/> repeats; allocation-free once warmed up.
    /// </summary>
    public OnPolicyUpdateStats CollectAndUpdate()
    {
        CollectRollout();
        var stats = _algorithm.Update(Buffer, new OnPolicyUpdateContext(EnvSteps, TotalSteps));
        LastUpdate = stats;
        WriteMetrics(stats);
        return stats;
    }

    /// <summary>Fills <see cref="Buffer"/> with a fresh rollout and computes its returns and advantages.</summary>
    public void CollectRollout()
    {
        if (_needsReset) ResetEnvs();
        var n = _envs.NumEnvs;
        var obsSize = _envs.ObservationSize;
        Buffer.Reset();
        for (var t = 0; t < _rollout.NumSteps; t++)
        {
            _algorithm.ActForRollout(_obs, _actions, _values, _logProbs);
            StepEnvs();
            EnvSteps += n;

            // Rewards (scaled when reward normalisation is on; the returns it tracks restart at episode ends).
            if (_rewardNorm is not null) _rewardNorm.Step(_envs.Rewards, _envs.Dones, _rewards);
            else _envs.Rewards.CopyTo(_rewards, 0);

            // Next observations: update the running statistics first, as VecNormalize does.
            ProcessObservations(_envs.Observations, _nextObs, update: true);

            Buffer.Add(_obs, _actions, _rewards, _envs.Terminated, _envs.Truncated, _values, _logProbs);

            // Truncated (not terminated) episodes: bootstrap from V(true final observation).
            var k = 0;
            for (var i = 0; i < n; i++)
            {
                if (!_envs.Dones[i]) continue;
                _epochReturnSum += _envs.EpisodeReturns[i];
                _epochEpisodes++;
                _metrics.Write("train/episode_return", _envs.EpisodeReturns[i], EnvSteps);
                _metrics.Write("train/episode_length", _envs.EpisodeLengths[i], EnvSteps);
                if (_envs.Truncated[i] && !_envs.Terminated[i])
                {
                    _envs.FinalObservations.AsSpan(i * obsSize, obsSize).CopyTo(_finalObs.AsSpan(k * obsSize, obsSize));
                    _truncatedEnvs[k++] = i;
                }
            }
            if (k > 0)
            {
                var finalObs = _finalObs.AsSpan(0, k * obsSize);
                ProcessObservations(finalObs, finalObs, update: false);
                _algorithm.PredictValues(finalObs, _finalValues.AsSpan(0, k));
                for (var j = 0; j < k; j++) Buffer.SetTruncationValue(_truncatedEnvs[j], _finalValues[j]);
            }

            (_obs, _nextObs) = (_nextObs, _obs);
        }
        _algorithm.PredictValues(_obs, _values);
        Buffer.ComputeReturnsAndAdvantages(_values, _rollout.Gamma, _rollout.GaeLambda);
    }

    private (double Mean, double Std) Test(int epoch)
    {
        _callbacks.OnEpochTest?.Invoke(epoch, EnvSteps);
        // The test environments were seeded at the start of Run; each test continues their generators.
        var start = Stopwatch.GetTimestamp();
        var result = _evaluator!.Evaluate(_algorithm, _config.NumTestEpisodes, _config.DeterministicEval);
        TestTime += Stopwatch.GetElapsedTime(start);
        result.WriteTo(_metrics, EnvSteps);
        return (result.Mean, result.Std);
    }

    private void ResetEnvs()
    {
        _envs.Reset(_trainSeed);
        _rewardNorm?.ResetReturns();
        ProcessObservations(_envs.Observations, _obs, update: true);
        _needsReset = false;
    }

    private void ProcessObservations(ReadOnlySpan<float> raw, Span<float> destination, bool update)
    {
        if (_obsNorm is null)
        {
            raw.CopyTo(destination);
            return;
        }
        if (update) _obsNorm.Update(raw);
        _obsNorm.Normalize(raw, destination);
    }

    private void StepEnvs()
    {
        if (_actionBox is null)
        {
            for (var i = 0; i < _discreteActions.Length; i++) _discreteActions[i] = (int)_actions[i] + _discreteStart;
            _envs.Step(_discreteActions);
            return;
        }
        // Clip the Gaussian sample to the Box (Stable-Baselines3 does; the buffer keeps the raw sample).
        var low = _actionBox.Low;
        var high = _actionBox.High;
        var a = _actionBox.FlatSize;
        for (var i = 0; i < _envActions.Length; i++)
        {
            var j = i % a;
            _envActions[i] = Math.Clamp(_actions[i], low[j], high[j]);
        }
        _envs.Step(_envActions);
    }

    private void WriteMetrics(in OnPolicyUpdateStats s)
    {
        var step = EnvSteps;
        _metrics.Write("train/policy_loss", s.PolicyLoss, step);
        _metrics.Write("train/value_loss", s.ValueLoss, step);
        _metrics.Write("train/entropy", s.Entropy, step);
        _metrics.Write("train/approx_kl", s.ApproxKl, step);
        _metrics.Write("train/clip_fraction", s.ClipFraction, step);
        _metrics.Write("train/grad_norm", s.GradNorm, step);
        _metrics.Write("train/learning_rate", s.LearningRate, step);
        _metrics.Write("train/clip_range", s.ClipRange, step);
        _metrics.Write("train/explained_variance", ExplainedVariance(Buffer.Values, Buffer.Returns), step);
    }

    /// <summary>
    /// 1 − Var(y − ŷ) / Var(y) (Stable-Baselines3's <c>explained_variance</c>): 1 is a perfect critic, 0 one no
    /// better than the mean, negative worse; NaN when the returns have no variance.
    /// </summary>
    public static double ExplainedVariance(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        if (predictions.Length != targets.Length || targets.Length == 0)
            throw new ArgumentException($"Need equal, non-zero lengths; got {predictions.Length} predictions and {targets.Length} targets.");
        double meanY = 0, meanD = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            meanY += targets[i];
            meanD += targets[i] - predictions[i];
        }
        meanY /= targets.Length;
        meanD /= targets.Length;
        double varY = 0, varD = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var y = targets[i] - meanY;
            var d = targets[i] - predictions[i] - meanD;
            varY += y * y;
            varD += d * d;
        }
        return varY == 0 ? double.NaN : 1 - varD / varY;
    }
}
