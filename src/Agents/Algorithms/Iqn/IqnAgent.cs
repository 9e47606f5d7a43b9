using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Iqn;

/// <summary>
/// Implicit Quantile Network (Dabney et al. 2018) with Tianshou's update (<c>tianshou/algorithm/modelfree/iqn.py</c>):
/// the return distribution Z(s, a) is learned through its quantiles Z_τ at randomly sampled fractions τ with the
/// quantile Huber loss; actions maximise Q(s, a) = E_τ[Z_τ(s, a)]. Exploration is ε-greedy with DQN's schedule
/// (<see cref="EpsilonSchedule"/>), the target network and its update interval (in environment steps) are DQN's, and
/// the replay buffer gives n-step returns.
/// </summary>
/// <remarks>
/// The update (<see cref="Update"/>) reads top to bottom as in CleanRL. Acting and updating allocate nothing in
/// steady state. The greedy action averages the quantiles at <see cref="IqnParams.NumQuantiles"/> fixed midpoints, so
/// deterministic acting draws no random numbers; exploring samples <see cref="IqnParams.SampleSize"/> fractions.
/// </remarks>
public sealed class IqnAgent : IOffPolicyAgent, ITargetNetworks, ILearningRateControl, IEpsilonGreedy
{
    private const string CheckpointFormat = "rlexperiments.iqn-checkpoint/1";

    private readonly ImplicitQuantileNetwork _z;
    private readonly ImplicitQuantileNetwork _zTarget;
    private readonly Optimizer _optimizer;
    private readonly ReplayBuffer _buffer;
    private readonly ReplayBatch _batch;
    private readonly Rng _explorationRng;
    private readonly Rng _samplingRng;
    private readonly EpsilonSchedule _schedule;
    private readonly int _numActions;
    private readonly int _actionStart;
    private readonly int _obsSize;
    private readonly int _targetUpdateEvery;
    private readonly float[] _qScratch;
    private readonly int[] _nextActions;
    private readonly Dictionary<string, Module> _networks;
    private long _vectorSteps;
    private double _epsilon;
    private double? _fixedEpsilon;

    // Update metrics accumulated since the last WriteMetrics, in write order.
    private readonly MetricAccumulator _metrics = new("train/loss", "train/q_mean", "train/grad_norm");

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step (the replay buffer's row layout).</param>
    /// <param name="createNetwork">
    /// Creates the implicit quantile network (called twice, for the online and the target network, with the
    /// initialisation stream; experiments pass what their preprocess and quantile-network factories describe); it must
    /// average <see cref="IqnParams.NumQuantiles"/> fractions. Null for Tianshou's default: a [64, 64] ReLU preprocess
    /// network, 64 cosines and a linear head.
    /// </param>
    /// <param name="createOptimizer">Creates the optimiser from the network's parameters and the learning rate; null for Adam with PyTorch's defaults.</param>
    /// <exception cref="ArgumentException">The action space is not Discrete or the observation space not a Box, or an injected network does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public IqnAgent(Space observationSpace, Space actionSpace, IqnParams parameters, int seed, int numEnvs = 1,
        Func<Rng, ImplicitQuantileNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(parameters);
        if (actionSpace is not Discrete discrete)
            throw new ArgumentException(
                $"IQN needs a Discrete action space (e.g. CartPole-v1, Acrobot-v1); got {actionSpace}. For continuous actions use SAC or TD3.", nameof(actionSpace));
        if (observationSpace is not Box)
            throw new ArgumentException($"IQN needs a Box (vector) observation space; got {observationSpace}.", nameof(observationSpace));
        parameters.Validate();
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be ≥ 1.");
        if (parameters.BufferSize < numEnvs)
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.BufferSize, $"IqnParams.BufferSize must be ≥ numEnvs ({numEnvs}); got {parameters.BufferSize}.");

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
        _z = CreateNetwork(streams.Init, createNetwork);
        _zTarget = CreateNetwork(streams.Init, createNetwork);
        _zTarget.CopyFrom(_z);
        _optimizer = createOptimizer is null
            ? new Adam(_z.Parameters(), parameters.LearningRate)
            : createOptimizer(_z.Parameters(), parameters.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));

        _buffer = new ReplayBuffer(parameters.BufferSize, _obsSize, 1, numEnvs, parameters.NStep, parameters.Gamma);
        _batch = _buffer.CreateBatch(parameters.BatchSize);
        _qScratch = new float[Math.Max(parameters.BatchSize, numEnvs) * _numActions];
        _nextActions = new int[parameters.BatchSize];
        _schedule = new EpsilonSchedule(parameters.ExplorationInitialEps, parameters.ExplorationFinalEps, parameters.ExplorationFraction);
        _targetUpdateEvery = Math.Max(parameters.TargetUpdateInterval / numEnvs, 1);
        _epsilon = parameters.ExplorationInitialEps;
        _networks = new Dictionary<string, Module>(StringComparer.Ordinal) { ["z"] = _z };
    }

    /// <summary>The hyperparameters.</summary>
    public IqnParams Params { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The policy network: <c>"z"</c>, the online implicit quantile network.</summary>
    public IReadOnlyDictionary<string, Module> Networks => _networks;

    /// <summary>The online implicit quantile network.</summary>
    public ImplicitQuantileNetwork Network => _z;

    /// <summary>The target network, a lagged copy of <see cref="Network"/>.</summary>
    public ImplicitQuantileNetwork TargetNetwork => _zTarget;

    /// <summary>The optimiser of <see cref="Network"/>.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>
    /// The current exploration rate ε, recomputed after every vector step from <see cref="FixedEpsilon"/> or the
    /// schedule (as DQN's agent does). Allowed: [0, 1].
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

    /// <summary>When set, the training ε instead of the linear schedule (as in DQN's agent). Allowed: null or [0, 1].</summary>
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
    /// Greedy actions with Q averaged over the <see cref="IqnParams.NumQuantiles"/> midpoints (<paramref name="deterministic"/>),
    /// or ε-greedy with Q averaged over <see cref="IqnParams.SampleSize"/> sampled fractions. One action (the
    /// Discrete space's value) per observation row.
    /// </summary>
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = observations.Length / _obsSize;
        if (rows * _obsSize != observations.Length || rows == 0)
            throw new ArgumentException($"observations must hold a positive multiple of {_obsSize} floats; got {observations.Length}.", nameof(observations));
        if (actions.Length != rows)
            throw new ArgumentException($"actions must hold one value per row ({rows}); got {actions.Length}.", nameof(actions));
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var obs = Tensor.From(observations, [rows, _obsSize]);
        ReadOnlySpan<float> q;
        if (deterministic)
        {
            q = _z.Forward(obs).Data;                                                        // mean over the K midpoints
        }
        else
        {
            var n = Params.SampleSize;
            var taus = UniformTaus(rows, n, _explorationRng);
            var qs = rows * _numActions <= _qScratch.Length ? _qScratch.AsSpan(0, rows * _numActions) : new float[rows * _numActions];
            ImplicitQuantileNetwork.MeanOverQuantiles(_z.Quantiles(obs, taus).Data, rows, n, _numActions, qs);
            q = qs;
        }
        for (var r = 0; r < rows; r++)
        {
            int a = !deterministic && _explorationRng.NextDouble() < Epsilon
                ? _explorationRng.NextInt(_numActions)
                : Argmax(q.Slice(r * _numActions, _numActions));
            actions[r] = _actionStart + a;
        }
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
        for (var r = 0; r < envActions.Length; r++) bufferActions[r] = envActions[r] - _actionStart;
    }

    /// <summary>
    /// Updates ε from the training progress and every <c>max(TargetUpdateInterval / numEnvs, 1)</c> vector steps
    /// updates the target network θ⁻ ← τθ + (1 − τ)θ⁻ (a copy when τ = 1), as DQN's agent does.
    /// </summary>
    public void OnEnvSteps(long envSteps, long totalEnvSteps)
    {
        var progress = totalEnvSteps > 0 ? Math.Min(1.0, (double)envSteps / totalEnvSteps) : 1.0;
        _epsilon = _fixedEpsilon ?? _schedule.Value(progress);
        if (++_vectorSteps % _targetUpdateEvery == 0) UpdateTarget();
    }

    /// <summary>Applies one target-network update now (hard copy when τ = 1, else Polyak averaging).</summary>
    public void UpdateTarget()
    {
        if (Params.Tau >= 1) _zTarget.CopyFrom(_z);
        else _zTarget.SoftUpdate(_z, (float)Params.Tau);
    }

    /// <summary>One gradient step on a replay batch (the IQN update, top to bottom).</summary>
    public UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = _batch;
        _buffer.Sample(b, _samplingRng);
        var batch = b.Size;
        int n = Params.OnlineSampleSize, m = Params.TargetSampleSize;
        using var scope = Tensor.Scope();

        // 1. Target quantiles without gradient (Tianshou's QRDQN._target_q, double-DQN style):
        //      a* = argmax_a (1/N) Σᵢ Z_τᵢ(s', a)             online network, τᵢ ~ U(0, 1), i = 1..N
        //      yⱼ = R + γ^k (1 − done) · Z⁻_τ'ⱼ(s', a*)        target network, τ'ⱼ ~ U(0, 1), j = 1..N'
        //    R is the (n-step) discounted reward and γ^k its bootstrap discount (k = 1 for one-step TD).
        Tensor y;
        using (Tensor.NoGrad())
        {
            var selectTaus = UniformTaus(batch, n, _samplingRng);
            var qNext = _qScratch.AsSpan(0, batch * _numActions);
            ImplicitQuantileNetwork.MeanOverQuantiles(_z.Quantiles(b.NextObs, selectTaus).Data, batch, n, _numActions, qNext);
            for (var r = 0; r < batch; r++) _nextActions[r] = Argmax(qNext.Slice(r * _numActions, _numActions));

            var zNext = _zTarget.Quantiles(b.NextObs, UniformTaus(batch, m, _samplingRng)).Data;   // [B·N', A]
            y = Tensor.Empty([batch, m]);                                                      // [B, N']
            var yd = y.Data;
            var rewards = b.Rewards.Data;
            var discounts = b.Discounts.Data;
            var dones = b.Dones.Data;
            for (var r = 0; r < batch; r++)
            {
                var bootstrap = discounts[r] * (1f - dones[r]);
                for (var j = 0; j < m; j++) yd[r * m + j] = rewards[r] + bootstrap * zNext[(r * m + j) * _numActions + _nextActions[r]];
            }
        }

        // 2. Online quantiles of the actions taken, zᵢ = Z_τᵢ(s, a), at fresh fractions τᵢ ~ U(0, 1):   [B, N]
        var taus = UniformTaus(batch, n, _samplingRng);
        var actionRows = Tensor.Empty([batch * n, 1]);
        var ar = actionRows.Data;
        var actions = b.Actions.Data;
        for (var r = 0; r < batch; r++) ar.Slice(r * n, n).Fill(actions[r]);
        var z = _z.Quantiles(b.Obs, taus).Gather(1, actionRows).Reshape([batch, n]);

        // 3. Quantile Huber loss (κ = 1), Tianshou's reduction: uᵢⱼ = yⱼ − zᵢ,
        //      L = mean_batch (1/N) Σᵢ Σⱼ |τᵢ − 1{uᵢⱼ ≤ 0}| · H₁(uᵢⱼ),   H₁(u) = ½u² if |u| ≤ 1 else |u| − ½
        var loss = Functional.QuantileHuberLoss(z, taus, y);

        // 4. Gradient step with optional clipping; stop before touching the weights if anything is not finite.
        _optimizer.ZeroGrad();
        loss.Backward();
        var gradNorm = GradClip.ClipGradNorm(_z.Parameters(), Params.MaxGradNorm);
        var lossValue = (double)loss.Item();
        NonFiniteException.ThrowIfNonFinite("train/loss", lossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", gradNorm, envSteps, gradientStep);
        _optimizer.Step();

        // 5. Metrics: the loss, the mean online quantile of the actions taken and the gradient norm.
        var zData = z.Data;
        double qSum = 0;
        for (var i = 0; i < zData.Length; i++) qSum += zData[i];
        _metrics.Add(lossValue, qSum / zData.Length, gradNorm);
        return new UpdateStats(lossValue, gradNorm);
    }

    /// <summary>
    /// Writes <c>train/loss</c>, <c>train/q_mean</c> and <c>train/grad_norm</c> (means since the last call),
    /// <c>train/epsilon</c> and <c>train/learning_rate</c>.
    /// </summary>
    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _metrics.WriteTo(sink, envStep);
        sink.Write("train/epsilon", Epsilon, envStep);
        sink.Write("train/learning_rate", _optimizer.LearningRate, envStep);
    }

    /// <summary>Copies the online network into the target network, e.g. after its weights were replaced.</summary>
    public void SyncTargetNetworks() => _zTarget.CopyFrom(_z);

    /// <summary>The learning rate of <see cref="Optimizer"/>.</summary>
    public double LearningRate => _optimizer.LearningRate;

    /// <summary>Sets the learning rate of <see cref="Optimizer"/>.</summary>
    public void SetLearningRate(double learningRate)
    {
        LearningRateCheck.ThrowIfInvalid(learningRate);
        _optimizer.LearningRate = learningRate;
    }

    /// <inheritdoc />
    public void SaveCheckpoint(string directory) =>
        OffPolicyCheckpoint.Save(directory, _buffer, CheckpointModules(), CheckpointOptimizers(),
            new IqnCheckpoint(CheckpointFormat, _explorationRng.GetState(), _samplingRng.GetState(), _vectorSteps, Epsilon, _metrics.GetState()));

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        var meta = OffPolicyCheckpoint.Load<IqnCheckpoint>(directory, CheckpointFormat, _buffer, CheckpointModules(), CheckpointOptimizers(),
            m => OffPolicyCheckpoint.RestoreMetrics(directory, _metrics, m.Metrics));
        _explorationRng.SetState(meta.Exploration);
        _samplingRng.SetState(meta.Sampling);
        _vectorSteps = meta.VectorSteps;
        Epsilon = meta.Epsilon;
    }

    private Dictionary<string, Module> CheckpointModules() => new(StringComparer.Ordinal) { ["z"] = _z, ["z_target"] = _zTarget };

    private (string File, Optimizer Optimizer)[] CheckpointOptimizers() => [("optimizer.safetensors", _optimizer)];

    // Metrics: the update-metric sums since the last write, by tag, so a resumed run logs the same means.
    private sealed record IqnCheckpoint(string Format, RngState Exploration, RngState Sampling, long VectorSteps, double Epsilon, MetricAccumulatorState? Metrics);

    /// <summary>A [rows, n] tensor of fractions τ ~ U(0, 1) drawn from <paramref name="rng"/> (no gradient).</summary>
    private static Tensor UniformTaus(int rows, int n, Rng rng)
    {
        var taus = Tensor.Empty([rows, n]);
        var t = taus.Data;
        for (var i = 0; i < t.Length; i++) t[i] = rng.NextFloat();
        return taus;
    }

    private static int Argmax(ReadOnlySpan<float> row)
    {
        var a = 0;
        for (var j = 1; j < row.Length; j++)
            if (row[j] > row[a]) a = j;
        return a;
    }

    private ImplicitQuantileNetwork CreateNetwork(Rng rng, Func<Rng, ImplicitQuantileNetwork>? createNetwork)
    {
        if (createNetwork is null)
        {
            var preprocess = new Sequential(Mlp.HiddenLayers(_obsSize, [64, 64], Activation.ReLU, rng, out var width));
            return new ImplicitQuantileNetwork(preprocess, width, _numActions, [], Activation.ReLU, numCosines: 64, Params.NumQuantiles, rng);
        }
        var network = createNetwork(rng) ?? throw new ArgumentException("createNetwork returned null.", nameof(createNetwork));
        if (network.NumActions != _numActions)
            throw new ArgumentException(
                $"The injected implicit quantile network has {network.NumActions} action outputs; IQN needs {_numActions} (one per action).", nameof(createNetwork));
        return network;
    }
}
