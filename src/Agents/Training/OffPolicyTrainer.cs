using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>
/// The off-policy training loop (DQN, SAC, ...), with Stable-Baselines3's collection schedule inside Tianshou's
/// epochs: every vector step is stored in the agent's replay buffer; after every <see cref="IOffPolicyAgent.TrainFreq"/>
/// vector steps, once more than <see cref="IOffPolicyAgent.LearningStarts"/> environment steps were taken, the agent
/// applies <see cref="IOffPolicyAgent.GradientSteps"/> updates (−1: one per environment step collected). Before
/// learning starts actions are uniform random. Each epoch is <see cref="TrainerConfig.EpochNumSteps"/> environment
/// steps followed by a test phase of <see cref="TrainerConfig.NumTestEpisodes"/> episodes on the test environments
/// (the epoch loop is <see cref="Trainer"/>'s).
/// </summary>
/// <remarks>
/// <para>Collection and updates allocate nothing in steady state (the test phase allocates its result).</para>
/// <para>Metrics: <c>train/episode_return</c> and <c>train/episode_length</c> for each finished training episode,
/// the agent's update metrics (<see cref="IOffPolicyAgent.WriteMetrics"/>) at most every <c>metricsInterval</c>
/// environment steps, <c>test/return_mean</c>, <c>test/return_std</c>, <c>test/length_mean</c> after each test phase
/// and <c>train/steps_per_second</c> per epoch. A loss or gradient norm that is not finite stops training with a
/// <see cref="NonFiniteException"/> naming the step.</para>
/// </remarks>
public sealed class OffPolicyTrainer : Trainer
{
    private readonly IOffPolicyAgent _agent;
    private readonly int _metricsInterval;
    private readonly bool _discrete;
    private readonly float[] _obs;
    private readonly float[] _envActions;
    private readonly float[] _bufferActions;
    private readonly int[] _intActions;
    private int _stepsSinceTrain;
    private long _lastMetricsStep;
    private long _gradientSteps;

    /// <summary>Creates the loop.</summary>
    /// <param name="agent">The agent to train (built for <paramref name="trainEnvs"/>'s spaces and environment count).</param>
    /// <param name="trainEnvs">The training environments; reset by <see cref="Trainer.Run"/> with <see cref="EnvSeeds.Train"/> (environment i with seed + i).</param>
    /// <param name="testEnvs">The test environments (null only when <see cref="TrainerConfig.NumTestEpisodes"/> is 0); reset with <see cref="EnvSeeds.Test"/>.</param>
    /// <param name="config">Epochs, steps per epoch, test episodes.</param>
    /// <param name="seeds">The environment seeds, e.g. an environment set's <c>Seeds</c>, or <c>SeedStreams.FromSeed(seed).EnvironmentSeeds(numTrain, numTest)</c>.</param>
    /// <param name="callbacks">Epoch hooks, or null.</param>
    /// <param name="metrics">Where metrics go, or null to discard them.</param>
    /// <param name="metricsInterval">Environment steps between writes of the agent's update metrics; ≥ 1.</param>
    public OffPolicyTrainer(IOffPolicyAgent agent, VectorEnv trainEnvs, VectorEnv? testEnvs, TrainerConfig config, EnvSeeds seeds,
        TrainerCallbacks? callbacks = null, IMetricsSink? metrics = null, int metricsInterval = 1000)
        : base(Check(agent, trainEnvs, config, metricsInterval), trainEnvs, testEnvs, config, seeds, callbacks, metrics)
    {
        _agent = agent;
        _metricsInterval = metricsInterval;
        _discrete = trainEnvs.SingleActionSpace is Discrete;
        _obs = new float[trainEnvs.NumEnvs * trainEnvs.ObservationSize];
        _envActions = new float[trainEnvs.NumEnvs * trainEnvs.ActionSize];
        _bufferActions = new float[trainEnvs.NumEnvs * trainEnvs.ActionSize];
        _intActions = new int[trainEnvs.NumEnvs];
    }

    /// <inheritdoc />
    public override long GradientSteps => _gradientSteps;

    /// <inheritdoc />
    protected override void ResetTrainingEnvironments()
    {
        TrainEnvs.Reset(Seeds.Train);
        TrainEnvs.Observations.CopyTo(_obs, 0);
    }

    /// <inheritdoc />
    protected override void RestoreState(TrainerState state)
    {
        _gradientSteps = state.GradientSteps;
        _stepsSinceTrain = state.StepsSinceTrain;
        _lastMetricsStep = state.LastMetricsStep;
        TrainEnvs.Observations.CopyTo(_obs, 0);
    }

    /// <inheritdoc />
    protected override TrainerState CompleteState(TrainerState state) =>
        state with { StepsSinceTrain = _stepsSinceTrain, LastMetricsStep = _lastMetricsStep };

    /// <summary>One vector step: act, step, store, count, and train when the schedule says so.</summary>
    protected override void CollectAndUpdateOnce(long scheduleTotalSteps)
    {
        var train = TrainEnvs;
        var warmUp = EnvSteps < _agent.LearningStarts;
        _agent.Explore(_obs, _envActions, _bufferActions, warmUp);
        if (_discrete)
        {
            for (var i = 0; i < _intActions.Length; i++) _intActions[i] = (int)_envActions[i];
            train.Step(_intActions);
        }
        else
        {
            train.Step(_envActions);
        }
        _agent.Buffer.AddVectorStep(_obs, _bufferActions, train);
        train.Observations.CopyTo(_obs, 0);
        EnvSteps += train.NumEnvs;
        for (var i = 0; i < train.NumEnvs; i++)
        {
            if (train.Dones[i]) RecordTrainingEpisode(train.EpisodeReturns[i], train.EpisodeLengths[i]);
        }
        _agent.OnEnvSteps(EnvSteps, scheduleTotalSteps);
        AfterEnvStep();

        if (++_stepsSinceTrain < _agent.TrainFreq) return;
        _stepsSinceTrain = 0;
        if (EnvSteps <= _agent.LearningStarts) return;
        var updates = _agent.GradientSteps >= 0 ? _agent.GradientSteps : _agent.TrainFreq * train.NumEnvs;
        for (var g = 0; g < updates; g++)
        {
            var stats = _agent.Update(EnvSteps, _gradientSteps + 1);
            _gradientSteps++;
            NonFiniteException.ThrowIfNonFinite("train/loss", stats.Loss, EnvSteps, _gradientSteps);
            NonFiniteException.ThrowIfNonFinite("train/grad_norm", stats.GradNorm, EnvSteps, _gradientSteps);
        }
        if (updates > 0) AfterUpdate();
        if (updates > 0 && EnvSteps - _lastMetricsStep >= _metricsInterval)
        {
            _agent.WriteMetrics(Metrics, EnvSteps);
            _lastMetricsStep = EnvSteps;
        }
    }

    // The checks made before the base constructor's (as before: configuration, interval, environment count, then spaces).
    private static IOffPolicyAgent Check(IOffPolicyAgent agent, VectorEnv trainEnvs, TrainerConfig config, int metricsInterval)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(trainEnvs);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (metricsInterval <= 0) throw new ArgumentOutOfRangeException(nameof(metricsInterval), metricsInterval, "metricsInterval must be ≥ 1.");
        if (trainEnvs.NumEnvs != agent.NumEnvs)
            throw new ArgumentException($"The agent was built for {agent.NumEnvs} training environments but the vector env has {trainEnvs.NumEnvs}.", nameof(trainEnvs));
        return agent;
    }
}
