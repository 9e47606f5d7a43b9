using System.Diagnostics;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Normalization;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>
/// The on-policy training loop (Tianshou's <c>OnPolicyTrainer</c> organisation, Stable-Baselines3's
/// <c>OnPolicyAlgorithm.collect_rollouts</c> semantics). Each iteration collects
/// <see cref="OnPolicyRolloutSettings.NumSteps"/> steps of every training environment into a
/// <see cref="RolloutBuffer"/>, computes GAE and runs the algorithm's update. An epoch is as many
/// iterations as it takes to reach <see cref="TrainerConfig.EpochNumSteps"/> environment steps (so an epoch
/// is <c>⌈EpochNumSteps / (NumSteps·N)⌉·NumSteps·N</c> steps); after each epoch come the test phase, the
/// callbacks and a metrics flush.
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
/// <c>train/clip_range</c>, <c>train/explained_variance</c>, <c>train/episode_return</c> (mean over the
/// episodes that ended in the rollout, when any); per test phase <c>test/return_mean</c> and
/// <c>test/return_std</c>.</para>
/// <para>Steady-state iterations (<see cref="CollectAndUpdate"/>) allocate nothing.</para>
/// </remarks>
public sealed class OnPolicyTrainer
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
    private bool _testSeeded;
    private bool _needsReset = true;

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

    // Training episodes that ended: per rollout and per epoch.
    private double _rolloutReturnSum;
    private int _rolloutEpisodes;
    private double _epochReturnSum;
    private int _epochEpisodes;

    /// <summary>Creates the trainer.</summary>
    /// <param name="algorithm">The agent to train.</param>
    /// <param name="trainEnvs">The training environments (reset by the trainer).</param>
    /// <param name="testEnvs">Separate environments for the test phases, or null for no testing.</param>
    /// <param name="config">Epochs, steps per epoch and test episodes.</param>
    /// <param name="rng">The stream the environment seeds are drawn from (spawn it from the run's seed).</param>
    /// <param name="callbacks">Epoch hooks, or null.</param>
    /// <param name="metrics">Where scalars go, or null to discard them.</param>
    public OnPolicyTrainer(
        IOnPolicyAlgorithm algorithm,
        VectorEnv trainEnvs,
        VectorEnv? testEnvs,
        TrainerConfig config,
        Rng rng,
        TrainerCallbacks? callbacks = null,
        IMetricsSink? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(trainEnvs);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        config.Validate();
        if (trainEnvs.ObservationSize != algorithm.ObservationSpace.FlatSize)
            throw new ArgumentException($"The training environments' observations have {trainEnvs.ObservationSize} floats ({trainEnvs.SingleObservationSpace}) but the agent expects {algorithm.ObservationSpace.FlatSize} ({algorithm.ObservationSpace}).", nameof(trainEnvs));
        if (!trainEnvs.SingleActionSpace.Equals(algorithm.ActionSpace))
            throw new ArgumentException($"The training environments' action space {trainEnvs.SingleActionSpace} does not match the agent's {algorithm.ActionSpace}.", nameof(trainEnvs));
        if (testEnvs is not null && !testEnvs.SingleActionSpace.Equals(algorithm.ActionSpace))
            throw new ArgumentException($"The test environments' action space {testEnvs.SingleActionSpace} does not match the agent's {algorithm.ActionSpace}.", nameof(testEnvs));

        _algorithm = algorithm;
        _envs = trainEnvs;
        _evaluator = testEnvs is null ? null : new Evaluator(testEnvs);
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
        _trainSeed = rng.NextInt(int.MaxValue - n);
        _testSeed = rng.NextInt(int.MaxValue - (testEnvs?.NumEnvs ?? 1));
    }

    /// <summary>The rollout buffer (holds the last rollout and its advantages after each iteration).</summary>
    public RolloutBuffer Buffer { get; }

    /// <summary>Environment steps taken so far (summed over environments).</summary>
    public long EnvSteps { get; private set; }

    /// <summary>The statistics of the last update.</summary>
    public OnPolicyUpdateStats LastUpdate { get; private set; }

    /// <summary>The environment-step budget the schedules anneal over: <see cref="TrainerConfig.TotalSteps"/>.</summary>
    public long TotalSteps => _config.TotalSteps;

    /// <summary>Runs all epochs (or until the stop callback says so) and reports the outcome.</summary>
    public TrainerResult Run()
    {
        var clock = Stopwatch.StartNew();
        var best = double.NaN;
        var bestEpoch = -1;
        var last = double.NaN;
        var epochsDone = 0;
        var stopped = false;

        if (_config.TestAtStart && CanTest)
        {
            var (mean, _) = Test(0);
            best = last = mean;
            bestEpoch = 0;
        }

        for (var epoch = 1; epoch <= _config.NumEpochs; epoch++)
        {
            _callbacks.OnEpochTrain?.Invoke(epoch, EnvSteps);
            _epochReturnSum = 0;
            _epochEpisodes = 0;
            var epochStart = EnvSteps;
            while (EnvSteps - epochStart < _config.EpochNumSteps)
                CollectAndUpdate();

            double testMean = double.NaN, testStd = double.NaN;
            if (CanTest)
            {
                (testMean, testStd) = Test(epoch);
                last = testMean;
                if (double.IsNaN(best) || testMean > best)
                {
                    best = testMean;
                    bestEpoch = epoch;
                }
            }
            epochsDone = epoch;
            var info = new EpochInfo(epoch, EnvSteps, _algorithm.GradientSteps, testMean, testStd, best,
                _epochEpisodes > 0 ? _epochReturnSum / _epochEpisodes : double.NaN);
            var stop = _callbacks.ShouldStop?.Invoke(info) ?? false;
            _callbacks.OnEpochEnd?.Invoke(info);
            _metrics.Flush();
            if (stop && epoch < _config.NumEpochs)
            {
                stopped = true;
                break;
            }
        }
        return new TrainerResult(best, bestEpoch, last, EnvSteps, _algorithm.GradientSteps, epochsDone, clock.Elapsed, stopped);
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
        _rolloutReturnSum = 0;
        _rolloutEpisodes = 0;
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
                _rolloutReturnSum += _envs.EpisodeReturns[i];
                _rolloutEpisodes++;
                _epochReturnSum += _envs.EpisodeReturns[i];
                _epochEpisodes++;
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

    private bool CanTest => _evaluator is not null && _config.NumTestEpisodes > 0;

    private (double Mean, double Std) Test(int epoch)
    {
        _callbacks.OnEpochTest?.Invoke(epoch, EnvSteps);
        // The first test seeds the test environments; later ones continue their generators.
        var result = _evaluator!.Evaluate(_algorithm, _config.NumTestEpisodes, _config.DeterministicEval, _testSeeded ? null : _testSeed);
        _testSeeded = true;
        _metrics.Write("test/return_mean", result.Mean, EnvSteps);
        _metrics.Write("test/return_std", result.Std, EnvSteps);
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
        if (_rolloutEpisodes > 0)
            _metrics.Write("train/episode_return", _rolloutReturnSum / _rolloutEpisodes, step);
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
