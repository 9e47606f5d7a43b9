using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;
using RlExperiments.Agents.Networks;

namespace RlExperiments.Agents.Algorithms.Dqn;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015) with Stable-Baselines3's training semantics and the common extensions:
/// double DQN, dueling heads, n-step returns, prioritised replay, Huber or MSE loss, hard or Polyak target updates.
/// Acting is ε-greedy, ε following <see cref="EpsilonSchedule"/>; each environment row draws its own ε coin
/// (SB3 draws one per vector step).
/// </summary>
/// <remarks>
/// The update (<see cref="Update"/>) reads top to bottom as in CleanRL. Acting and updating allocate nothing in
/// steady state. The agent owns its replay buffer; train it with <see cref="OffPolicyTrainer"/>.
/// </remarks>
public sealed class DqnAgent : IOffPolicyAgent, ITargetNetworks, ILearningRateControl, IEpsilonGreedy
{
    private readonly Module _q;
    private readonly Module _qTarget;
    private readonly Optimizer _optimizer;
    private readonly ReplayBuffer _buffer;
    private readonly PrioritizedReplayBuffer? _prioritized;
    private readonly ReplayBatch _batch;
    private readonly Rng _explorationRng;
    private readonly Rng _samplingRng;
    private readonly EpsilonSchedule _schedule;
    private readonly int _numActions;
    private readonly int _actionStart;
    private readonly int _obsSize;
    private readonly int _targetUpdateEvery;
    private readonly float[] _tdErrors;
    private readonly Dictionary<string, Module> _networks;
    private readonly InferencePlan? _actPlan;
    private long _vectorSteps;

    // Update metrics accumulated since the last WriteMetrics, in write order.
    private readonly MetricAccumulator _metrics = new("train/loss", "train/td_error", "train/q_mean", "train/grad_norm");

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step (the replay buffer's row layout).</param>
    /// <param name="createQNetwork">
    /// Creates the Q-network (called twice, for the online and the target network, with the initialisation stream)
    /// (experiments pass their Q-network factory's). It must map <c>[B, obs]</c> to <c>[B, actions]</c>; null for
    /// Stable-Baselines3's default, a [64, 64] ReLU MLP.
    /// </param>
    /// <param name="createOptimizer">
    /// Creates the optimiser from the Q-network's parameters and <see cref="DqnParams.LearningRate"/>; null for Adam with
    /// PyTorch's defaults.
    /// </param>
    /// <exception cref="ArgumentException">The action space is not Discrete or the observation space not a Box, or an injected network has the wrong output shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public DqnAgent(Space observationSpace, Space actionSpace, DqnParams parameters, int seed, int numEnvs = 1,
        Func<Rng, Module>? createQNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(parameters);
        if (actionSpace is not Discrete discrete)
            throw new ArgumentException(
                $"DQN needs a Discrete action space (e.g. CartPole-v1, Acrobot-v1, MountainCar-v0); got {actionSpace}. " +
                "For continuous actions use SAC.", nameof(actionSpace));
        if (observationSpace is not Box)
            throw new ArgumentException($"DQN needs a Box (vector) observation space; got {observationSpace}.", nameof(observationSpace));
        parameters.Validate();
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be ≥ 1.");
        if (parameters.BufferSize < numEnvs)
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.BufferSize, $"DqnParams.BufferSize must be ≥ numEnvs ({numEnvs}); got {parameters.BufferSize}.");

        Params = parameters;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        NumEnvs = numEnvs;
        _numActions = discrete.N;
        _actionStart = discrete.Start;
        _obsSize = observationSpace.FlatSize;

        var streams = SeedStreams.FromSeed(seed);
        _explorationRng = streams.Exploration;
        _samplingRng = streams.Sampling;
        _q = createQNetwork is null ? CreateNetwork(streams.Init) : CheckInjected(createQNetwork(streams.Init));
        _qTarget = createQNetwork is null ? CreateNetwork(streams.Init) : CheckInjected(createQNetwork(streams.Init));
        _qTarget.CopyFrom(_q);
        _optimizer = createOptimizer is null
            ? new Adam(_q.Parameters(), parameters.LearningRate)
            : createOptimizer(_q.Parameters(), parameters.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));

        _buffer = parameters.PrioritizedReplay
            ? _prioritized = new PrioritizedReplayBuffer(parameters.BufferSize, _obsSize, 1, numEnvs, parameters.NStep, parameters.Gamma,
                parameters.PriorityAlpha, parameters.PriorityBeta0, parameters.PriorityEps)
            : new ReplayBuffer(parameters.BufferSize, _obsSize, 1, numEnvs, parameters.NStep, parameters.Gamma);
        _batch = _buffer.CreateBatch(parameters.BatchSize);
        _tdErrors = new float[parameters.BatchSize];
        _schedule = new EpsilonSchedule(parameters.ExplorationInitialEps, parameters.ExplorationFinalEps, parameters.ExplorationFraction);
        _targetUpdateEvery = Math.Max(parameters.TargetUpdateInterval / numEnvs, 1);
        Epsilon = parameters.ExplorationInitialEps;
        _networks = new Dictionary<string, Module>(StringComparer.Ordinal) { ["q"] = _q };
        // Acting runs the Q-network as a compiled plan (no autodiff, no tensors) when it is a plain stack of layers.
        _actPlan = _q is Sequential sequential && InferencePlan.CanCompile(sequential) ? new InferencePlan(sequential, Math.Max(numEnvs, ActPlanMinBatch)) : null;
    }

    // The plan serves batches up to this many rows (or numEnvs if larger); larger ones go through the module.
    private const int ActPlanMinBatch = 16;

    /// <summary>The hyperparameters.</summary>
    public DqnParams Params { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Module> Networks => _networks;

    /// <summary>The online Q-network: observations <c>[B, obs]</c> → Q-values <c>[B, actions]</c>.</summary>
    public Module QNetwork => _q;

    /// <summary>The target network, a lagged copy of <see cref="QNetwork"/>.</summary>
    public Module TargetNetwork => _qTarget;

    /// <summary>The optimiser of <see cref="QNetwork"/> (Adam unless another was injected).</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>
    /// The current exploration rate ε of <see cref="Act"/> with <c>deterministic: false</c>. Recomputed after every
    /// vector step (<see cref="OnEnvSteps"/>) from <see cref="FixedEpsilon"/> or the schedule, so a value set here holds
    /// until the next training step (e.g. a fixed test ε set before a test phase). Allowed: [0, 1].
    /// </summary>
    public double Epsilon
    {
        get => _epsilon;
        set
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(Epsilon), value, "Epsilon must lie in [0, 1].");
            _epsilon = value;
        }
    }

    /// <summary>
    /// When set, the training ε (used from the next vector step on) instead of the linear schedule of
    /// <see cref="DqnParams.ExplorationInitialEps"/> → <see cref="DqnParams.ExplorationFinalEps"/>; e.g. set per epoch by
    /// an epoch callback (Tianshou's <c>EpochTrainCallbackDQNEpsLinearDecay</c>). Default null. Allowed: null or [0, 1].
    /// </summary>
    public double? FixedEpsilon
    {
        get => _fixedEpsilon;
        set
        {
            if (value is { } v && !(v >= 0 && v <= 1)) throw new ArgumentOutOfRangeException(nameof(FixedEpsilon), value, "FixedEpsilon must be null or lie in [0, 1].");
            _fixedEpsilon = value;
            if (value is { } e) _epsilon = e;
        }
    }

    private double _epsilon;
    private double? _fixedEpsilon;

    /// <inheritdoc />
    public int TrainFreq => Params.TrainFreq;

    /// <inheritdoc />
    public int GradientSteps => Params.GradientSteps;

    /// <inheritdoc />
    public int LearningStarts => Params.LearningStarts;

    /// <inheritdoc />
    public int NumEnvs { get; }

    /// <inheritdoc />
    public ReplayBuffer Buffer => _buffer;

    /// <summary>
    /// Greedy actions (<paramref name="deterministic"/>), or ε-greedy with the current <see cref="Epsilon"/>.
    /// Writes one action (the Discrete space's value, i.e. index + start) per observation row.
    /// </summary>
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = observations.Length / _obsSize;
        if (rows * _obsSize != observations.Length || rows == 0)
            throw new ArgumentException($"observations must hold a positive multiple of {_obsSize} floats; got {observations.Length}.", nameof(observations));
        if (actions.Length != rows)
            throw new ArgumentException($"actions must hold one value per row ({rows}); got {actions.Length}.", nameof(actions));
        if (_actPlan is not { } plan || rows > plan.MaxBatch)
        {
            using var scope = Tensor.Scope();
            using var noGrad = Tensor.NoGrad();
            ChooseActions(_q.Forward(Tensor.From(observations, [rows, _obsSize])).Data, actions, deterministic);
            return;
        }
        // The plan's forward pass runs only if some row acts greedily (the coins are drawn in the same order either way).
        ReadOnlySpan<float> q = default;
        for (var r = 0; r < rows; r++)
        {
            if (!deterministic && _explorationRng.NextDouble() < Epsilon)
            {
                actions[r] = _actionStart + _explorationRng.NextInt(_numActions);
                continue;
            }
            if (q.IsEmpty) q = plan.Forward(observations);
            actions[r] = _actionStart + Greedy(q, r);
        }
    }

    /// <summary>Per row: a uniform action with probability ε (unless deterministic), else the greedy one.</summary>
    private void ChooseActions(ReadOnlySpan<float> q, Span<float> actions, bool deterministic)
    {
        for (var r = 0; r < actions.Length; r++)
        {
            var a = !deterministic && _explorationRng.NextDouble() < Epsilon ? _explorationRng.NextInt(_numActions) : Greedy(q, r);
            actions[r] = _actionStart + a;
        }
    }

    /// <summary>The first index of the largest Q-value of row <paramref name="r"/>.</summary>
    private int Greedy(ReadOnlySpan<float> q, int r)
    {
        var row = q.Slice(r * _numActions, _numActions);
        var a = 0;
        for (var j = 1; j < row.Length; j++)
            if (row[j] > row[a]) a = j;
        return a;
    }

    /// <inheritdoc />
    public void Explore(ReadOnlySpan<float> observations, Span<float> envActions, Span<float> bufferActions, bool uniformRandom)
    {
        if (uniformRandom)
        {
            for (var r = 0; r < envActions.Length; r++) envActions[r] = _actionStart + _explorationRng.NextInt(_numActions);
        }
        else
        {
            Act(observations, envActions, deterministic: false);
        }
        // The buffer stores the Q-network's column index.
        for (var r = 0; r < envActions.Length; r++) bufferActions[r] = envActions[r] - _actionStart;
    }

    /// <summary>
    /// Updates ε from the training progress, anneals PER's β, and every <c>max(TargetUpdateInterval / numEnvs, 1)</c>
    /// vector steps updates the target network: θ⁻ ← τθ + (1 − τ)θ⁻ (a copy when τ = 1), as SB3's <c>_on_step</c>.
    /// </summary>
    public void OnEnvSteps(long envSteps, long totalEnvSteps)
    {
        var progress = totalEnvSteps > 0 ? Math.Min(1.0, (double)envSteps / totalEnvSteps) : 1.0;
        _epsilon = _fixedEpsilon ?? _schedule.Value(progress);
        _prioritized?.AnnealBeta(progress);
        if (++_vectorSteps % _targetUpdateEvery == 0) UpdateTarget();
    }

    /// <summary>Applies one target-network update now (hard copy when τ = 1, else Polyak averaging).</summary>
    public void UpdateTarget()
    {
        if (Params.Tau >= 1) _qTarget.CopyFrom(_q);
        else _qTarget.SoftUpdate(_q, (float)Params.Tau);
    }

    /// <summary>One gradient step on a replay batch (the DQN update, top to bottom).</summary>
    public UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = _batch;
        _buffer.Sample(b, _samplingRng);
        using var scope = Tensor.Scope();

        // 1. TD target without gradient, bootstrapping only from non-terminal next states:
        //      y = R + γ^k (1 − done) · max_a' Q⁻(s', a')                  (DQN)
        //      y = R + γ^k (1 − done) · Q⁻(s', argmax_a' Q(s', a'))        (double DQN)
        //    R is the (n-step) discounted reward and γ^k its bootstrap discount (k = 1 for one-step TD).
        //    (Functional.QTarget computes y in one pass: the same values as the elementwise ops, bit for bit.)
        Tensor y;
        using (Tensor.NoGrad())
        {
            var qNext = _qTarget.Forward(b.NextObs);                                          // [B, A]
            y = Functional.QTarget(b.Rewards, b.Discounts, b.Dones, qNext,
                nextQOnline: Params.DoubleDqn ? _q.Forward(b.NextObs) : null);                // [B, 1]
        }

        // 2. Q(s, ·) for the whole batch; the loss reads Q(s, a) of the actions that were taken.
        var qAll = _q.Forward(b.Obs);                                                         // [B, A]

        // 3. Loss L = mean_i w_i · ℓ(Q(s_i, a_i) − y_i), ℓ Huber or squared; w_i are PER's importance weights (1 otherwise).
        //    The Gather* losses pick Q(s_i, a_i) themselves (same values and gradients as Gather then the loss, bit for bit).
        Tensor loss;
        if (_prioritized is null)
        {
            loss = Params.Loss == DqnLoss.Huber ? Functional.GatherHuberLoss(qAll, b.Actions, y) : Functional.GatherMseLoss(qAll, b.Actions, y);
        }
        else
        {
            var perSample = Params.Loss == DqnLoss.Huber
                ? Functional.GatherHuberLoss(qAll, b.Actions, y, 1f, Reduction.None)
                : Functional.GatherMseLoss(qAll, b.Actions, y, Reduction.None);
            loss = (b.Weights * perSample).Mean();
        }

        // 4. Gradient step with clipping; stop before touching the weights if anything is not finite.
        _optimizer.ZeroGrad();
        loss.Backward();
        var gradNorm = GradClip.ClipGradNorm(_q.Parameters(), Params.MaxGradNorm);
        var lossValue = (double)loss.Item();
        NonFiniteException.ThrowIfNonFinite("train/loss", lossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", gradNorm, envSteps, gradientStep);
        _optimizer.Step();

        // 5. TD errors δ = Q(s, a) − y: new priorities |δ| + ε for PER, and metrics.
        var qData = qAll.Data;
        var actions = b.Actions.Data;
        var yData = y.Data;
        double tdSum = 0, qSum = 0;
        for (var i = 0; i < _tdErrors.Length; i++)
        {
            var qi = qData[i * _numActions + (int)actions[i]];
            _tdErrors[i] = qi - yData[i];
            tdSum += Math.Abs(_tdErrors[i]);
            qSum += qi;
        }
        _prioritized?.UpdatePriorities(b.Indices, _tdErrors);

        _metrics.Add(lossValue, tdSum / _tdErrors.Length, qSum / _tdErrors.Length, gradNorm);
        return new UpdateStats(lossValue, gradNorm);
    }

    /// <summary>
    /// Writes <c>train/loss</c>, <c>train/td_error</c> (mean |δ|), <c>train/q_mean</c> and <c>train/grad_norm</c> (means since
    /// the last call), <c>train/epsilon</c>, <c>train/learning_rate</c> and, with PER, <c>train/per_beta</c>.
    /// </summary>
    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _metrics.WriteTo(sink, envStep);
        sink.Write("train/epsilon", Epsilon, envStep);
        sink.Write("train/learning_rate", _optimizer.LearningRate, envStep);
        if (_prioritized is not null) sink.Write("train/per_beta", _prioritized.Beta, envStep);
    }

    /// <summary>Copies the online Q-network into the target network (q → q_target), e.g. after its weights were replaced.</summary>
    public void SyncTargetNetworks() => _qTarget.CopyFrom(_q);

    /// <summary>The learning rate of <see cref="Optimizer"/>.</summary>
    public double LearningRate => _optimizer.LearningRate;

    /// <summary>Sets the learning rate of <see cref="Optimizer"/>, the only optimiser <see cref="DqnParams.LearningRate"/> drives.</summary>
    public void SetLearningRate(double learningRate)
    {
        LearningRateCheck.ThrowIfInvalid(learningRate);
        _optimizer.LearningRate = learningRate;
    }

    /// <inheritdoc />
    public void SaveCheckpoint(string directory) =>
        OffPolicyCheckpoint.Save(directory, _buffer, CheckpointModules(), CheckpointOptimizers(),
            new DqnCheckpoint(CheckpointFormat, _explorationRng.GetState(), _samplingRng.GetState(), _vectorSteps, Epsilon, _metrics.GetState()));

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        var meta = OffPolicyCheckpoint.Load<DqnCheckpoint>(directory, CheckpointFormat, _buffer, CheckpointModules(), CheckpointOptimizers(),
            m => OffPolicyCheckpoint.RestoreMetrics(directory, _metrics, m.Metrics));
        _explorationRng.SetState(meta.Exploration);
        _samplingRng.SetState(meta.Sampling);
        _vectorSteps = meta.VectorSteps;
        Epsilon = meta.Epsilon;
    }

    private const string CheckpointFormat = "rlexperiments.dqn-checkpoint/2";

    private Dictionary<string, Module> CheckpointModules() => new(StringComparer.Ordinal) { ["q"] = _q, ["q_target"] = _qTarget };

    private (string File, Optimizer Optimizer)[] CheckpointOptimizers() => [("optimizer.safetensors", _optimizer)];

    // Metrics: the update-metric sums since the last write, by tag, so a resumed run logs the same means.
    private sealed record DqnCheckpoint(string Format, RngState Exploration, RngState Sampling, long VectorSteps, double Epsilon, MetricAccumulatorState? Metrics);

    private Module CheckInjected(Module network)
    {
        ArgumentNullException.ThrowIfNull(network, "createQNetwork");
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var output = network.Forward(Tensor.Zeros([1, _obsSize]));
        if (output.Shape.Length != 2 || output.Shape[0] != 1 || output.Shape[1] != _numActions)
            throw new ArgumentException(
                $"The injected Q-network maps [1, {_obsSize}] observations to {output.ShapeString}; DQN needs [1, {_numActions}] (one Q-value per action).", "createQNetwork");
        return network;
    }

    private Module CreateNetwork(Rng rng) => new Mlp(_obsSize, [64, 64], _numActions, Activation.ReLU, rng);
}
