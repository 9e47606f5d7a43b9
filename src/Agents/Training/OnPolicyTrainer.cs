using RlExperiments.Agents.Buffers;
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
/// iterations as it takes to reach <c>epoch · </c><see cref="TrainerConfig.EpochNumSteps"/> environment steps in
/// total; after each epoch come the test phase, a metrics flush and the callbacks (the epoch loop is <see cref="Trainer"/>'s).
/// </summary>
/// <remarks>
/// <para>Truncated episodes are bootstrapped from the critic's value of the true final observation
/// (<see cref="VectorEnv.FinalObservations"/>), terminated ones are not. Continuous actions are clipped to
/// the Box before stepping; the buffer keeps the unclipped sample, whose log-probability was computed.</para>
/// <para>When the algorithm has an <see cref="ObservationNormalizer"/>, every observation the training
/// environments return (resets included) updates it before being normalised, as VecNormalize does; when
/// <see cref="OnPolicyRolloutSettings.NormalizeRewards"/> is set, rewards are scaled by a
/// <see cref="RewardNormalizer"/>. Test episodes see raw environments and frozen statistics.</para>
/// <para>Metrics per update: the algorithm's own (<see cref="IOnPolicyAlgorithm.WriteMetrics"/>), then
/// <c>train/explained_variance</c> of the critic on the rollout; per finished training episode
/// <c>train/episode_return</c> and <c>train/episode_length</c>; per epoch <c>train/steps_per_second</c>; per test
/// phase <c>test/return_mean</c>, <c>test/return_std</c> and <c>test/length_mean</c> (as the off-policy trainer).</para>
/// <para>Steady-state iterations (<see cref="CollectAndUpdate"/>) allocate nothing.</para>
/// </remarks>
public sealed class OnPolicyTrainer : Trainer
{
    private readonly IOnPolicyAlgorithm _algorithm;
    private readonly OnPolicyRolloutSettings _rollout;
    private readonly ObservationNormalizer? _obsNorm;
    private readonly RewardNormalizer? _rewardNorm;
    private readonly Box? _actionBox;
    private readonly int _discreteStart;
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

    /// <summary>Creates the trainer.</summary>
    /// <param name="algorithm">The agent to train (built for <paramref name="trainEnvs"/>'s spaces).</param>
    /// <param name="trainEnvs">The training environments; reset with <see cref="EnvSeeds.Train"/> (environment i with seed + i) by <see cref="Trainer.Run"/> (or the first <see cref="CollectRollout"/>).</param>
    /// <param name="testEnvs">Separate test environments (null only when <see cref="TrainerConfig.NumTestEpisodes"/> is 0); reset with <see cref="EnvSeeds.Test"/>.</param>
    /// <param name="config">Epochs, steps per epoch and test episodes.</param>
    /// <param name="seeds">The environment seeds, e.g. an environment set's <c>Seeds</c>, or <c>SeedStreams.FromSeed(seed).EnvironmentSeeds(numTrain, numTest)</c>.</param>
    /// <param name="callbacks">Epoch hooks, or null.</param>
    /// <param name="metrics">Where scalars go, or null to discard them.</param>
    public OnPolicyTrainer(
        IOnPolicyAlgorithm algorithm,
        VectorEnv trainEnvs,
        VectorEnv? testEnvs,
        TrainerConfig config,
        EnvSeeds seeds,
        TrainerCallbacks? callbacks = null,
        IMetricsSink? metrics = null)
        : base(algorithm, trainEnvs, testEnvs, config, seeds, callbacks, metrics)
    {
        _algorithm = algorithm;
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
    }

    /// <summary>The rollout buffer (holds the last rollout and its advantages after each iteration).</summary>
    public RolloutBuffer Buffer { get; }

    /// <summary>The reward normaliser (when <see cref="OnPolicyRolloutSettings.NormalizeRewards"/> is set), whose state a checkpoint keeps.</summary>
    public RewardNormalizer? RewardNormalizer => _rewardNorm;

    /// <summary>The statistics of the last update (the algorithm's own detailed statistics are on the algorithm, e.g. PPO's clip fraction).</summary>
    public OnPolicyUpdateStats LastUpdate { get; private set; }

    /// <summary>Gradient updates the algorithm has applied.</summary>
    public override long GradientSteps => _algorithm.GradientSteps;

    /// <summary>The environment-step budget the schedules anneal over: <see cref="Trainer.ScheduleTotalSteps"/> when set, else the run's end (<see cref="TrainerConfig.TotalSteps"/> after a <see cref="Trainer.ContinueFrom"/> state's steps).</summary>
    public long TotalSteps => ScheduleTotal;

    /// <inheritdoc />
    protected override void ResetTrainingEnvironments()
    {
        if (_needsReset) ResetEnvs();
    }

    /// <inheritdoc />
    /// <remarks>The algorithm's checkpoint must be loaded first (its gradient-step count must match the state's); restores the reward-normalisation state.</remarks>
    protected override void RestoreState(TrainerState state)
    {
        if (state.GradientSteps != _algorithm.GradientSteps)
            throw new InvalidOperationException($"The agent has applied {_algorithm.GradientSteps} gradient steps but the trainer state says {state.GradientSteps}; load the agent's checkpoint of the same step first.");
        if (_rewardNorm is not null)
        {
            if (state.RewardStatistics is null || state.RewardReturns is null)
                throw new InvalidDataException("The trainer state holds no reward-normalisation statistics, but this run normalises rewards.");
            _rewardNorm.SetState(state.RewardStatistics);
            _rewardNorm.SetReturns(state.RewardReturns);
        }
        ProcessObservations(TrainEnvs.Observations, _obs, update: false);
        _needsReset = false;
    }

    /// <inheritdoc />
    protected override TrainerState CompleteState(TrainerState state) =>
        state with { RewardStatistics = _rewardNorm?.GetState(), RewardReturns = _rewardNorm?.GetReturns() };

    /// <inheritdoc />
    protected override void CollectAndUpdateOnce(long scheduleTotalSteps) => CollectAndUpdate();

    /// <summary>
    /// One iteration: collects a rollout, computes returns and advantages, runs the algorithm's update and
    /// writes the update's metrics. What <see cref="Trainer.Run"/> repeats; allocation-free once warmed up.
    /// </summary>
    public OnPolicyUpdateStats CollectAndUpdate()
    {
        CollectRollout();
        var stats = _algorithm.Update(Buffer, new OnPolicyUpdateContext(EnvSteps, TotalSteps));
        LastUpdate = stats;
        _algorithm.WriteMetrics(Metrics, EnvSteps);
        Metrics.Write("train/explained_variance", ExplainedVariance(Buffer.Values, Buffer.Returns), EnvSteps);
        AfterUpdate();
        return stats;
    }

    /// <summary>Fills <see cref="Buffer"/> with a fresh rollout and computes its returns and advantages.</summary>
    public void CollectRollout()
    {
        if (_needsReset) ResetEnvs();
        var envs = TrainEnvs;
        var n = envs.NumEnvs;
        var obsSize = envs.ObservationSize;
        Buffer.Reset();
        for (var t = 0; t < _rollout.NumSteps; t++)
        {
            _algorithm.ActForRollout(_obs, _actions, _values, _logProbs);
            StepEnvs();
            EnvSteps += n;

            // Rewards (scaled when reward normalisation is on; the returns it tracks restart at episode ends).
            if (_rewardNorm is not null) _rewardNorm.Step(TrainEnvs.Rewards, TrainEnvs.Dones, _rewards);
            else TrainEnvs.Rewards.CopyTo(_rewards, 0);

            // Next observations: update the running statistics first, as VecNormalize does.
            ProcessObservations(TrainEnvs.Observations, _nextObs, update: true);

            Buffer.Add(_obs, _actions, _rewards, TrainEnvs.Terminated, TrainEnvs.Truncated, _values, _logProbs);

            // Truncated (not terminated) episodes: bootstrap from V(true final observation).
            var k = 0;
            for (var i = 0; i < n; i++)
            {
                if (!envs.Dones[i]) continue;
                RecordTrainingEpisode(envs.EpisodeReturns[i], envs.EpisodeLengths[i]);
                if (TrainEnvs.Truncated[i] && !TrainEnvs.Terminated[i])
                {
                    TrainEnvs.FinalObservations.AsSpan(i * obsSize, obsSize).CopyTo(_finalObs.AsSpan(k * obsSize, obsSize));
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
            AfterEnvStep();
        }
        _algorithm.PredictValues(_obs, _values);
        Buffer.ComputeReturnsAndAdvantages(_values, _rollout.Gamma, _rollout.GaeLambda);
    }

    private void ResetEnvs()
    {
        TrainEnvs.Reset(Seeds.Train);
        _rewardNorm?.ResetReturns();
        ProcessObservations(TrainEnvs.Observations, _obs, update: true);
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
            TrainEnvs.Step(_discreteActions);
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
        TrainEnvs.Step(_envActions);
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
