using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Distributions;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Redq;

/// <summary>
/// Randomized Ensembled Double Q-learning (Chen et al. 2021) with Tianshou's update: a tanh-squashed Gaussian actor, an
/// ensemble of N critics evaluated by one batched matrix product per layer (<see cref="EnsembleQCritic"/>), a target
/// that takes the minimum (or mean) over a random subset of M target critics, a high update-to-data ratio G
/// (<see cref="RedqParams.GradientSteps"/>), the actor and α updated once every <see cref="RedqParams.ActorDelay"/> critic
/// steps, and SAC-style automatic entropy tuning. Actions are produced in (−1, 1), stored that way and rescaled linearly
/// to the Box's bounds.
/// </summary>
/// <remarks>Acting and updating allocate nothing in steady state.</remarks>
public sealed class RedqAgent : IOffPolicyAgent, ITargetNetworks
{
    private readonly TanhGaussianActor _actor;
    private readonly EnsembleQCritic _critic;
    private readonly EnsembleQCritic _criticTarget;
    private readonly Optimizer _actorOptimizer;
    private readonly Optimizer _criticOptimizer;
    private readonly Adam? _alphaOptimizer;
    private readonly Tensor _logAlpha;
    private readonly float _targetEntropy;
    private readonly ReplayBuffer _buffer;
    private readonly ReplayBatch _batch;
    private readonly Rng _explorationRng;
    private readonly Rng _samplingRng;
    private readonly BoxActionScale _actionScale;
    private readonly int _obsSize;
    private readonly int _actSize;
    private readonly int[] _members;
    private readonly IReadOnlyList<Tensor> _criticParams;
    private readonly Dictionary<string, Module> _networks;
    private double _lastActorLoss;

    // Update metrics accumulated since the last WriteMetrics, in write order (train/loss, the critic loss, is written first).
    private readonly MetricAccumulator _metrics = new(
        "train/critic_loss", "train/actor_loss", "train/ent_coef_loss", "train/alpha", "train/q_mean", "train/td_error", "train/grad_norm");

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A bounded <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step (the replay buffer's row layout).</param>
    /// <param name="createActor">Creates the actor from the initialisation stream (experiments pass what their actor factory describes); null for a [256, 256] ReLU tanh-Gaussian actor with log-std clamped to [−20, 2].</param>
    /// <param name="createCritic">Creates the critic ensemble of <see cref="RedqParams.EnsembleSize"/> members (called twice, for the critics and their targets); null for [256, 256] ReLU members.</param>
    /// <param name="createOptimizer">Creates the actor's and the critics' optimisers from their parameters and learning rates; null for Adam. α's optimiser is always Adam.</param>
    /// <exception cref="ArgumentException">The action space is not a bounded Box or the observation space not a Box, or an injected network does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public RedqAgent(Space observationSpace, Space actionSpace, RedqParams parameters, int seed, int numEnvs = 1,
        Func<Rng, TanhGaussianActor>? createActor = null, Func<Rng, EnsembleQCritic>? createCritic = null,
        Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(parameters);
        if (actionSpace is not Box box)
            throw new ArgumentException(
                $"REDQ needs a continuous (Box) action space (e.g. Pendulum-v1); got {actionSpace}. For discrete actions use discrete SAC or DQN.", nameof(actionSpace));
        if (!box.IsBounded)
            throw new ArgumentException($"REDQ squashes actions with tanh and rescales them to the Box's bounds, which must be finite; got {box}.", nameof(actionSpace));
        if (observationSpace is not Box)
            throw new ArgumentException($"REDQ needs a Box (vector) observation space; got {observationSpace}.", nameof(observationSpace));
        parameters.Validate();
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be ≥ 1.");
        if (parameters.BufferSize < numEnvs)
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.BufferSize, $"RedqParams.BufferSize must be ≥ numEnvs ({numEnvs}); got {parameters.BufferSize}.");

        Params = parameters;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        NumEnvs = numEnvs;
        _obsSize = observationSpace.FlatSize;
        _actSize = box.FlatSize;
        _actionScale = new BoxActionScale(box);

        var streams = SeedStreams.FromSeed(seed);
        _explorationRng = streams.Exploration;
        _samplingRng = streams.Sampling;
        _actor = createActor is null
            ? new TanhGaussianActor(_obsSize, [256, 256], _actSize, Activation.ReLU, -20f, 2f, streams.Init)
            : createActor(streams.Init) ?? throw new ArgumentException("createActor returned null.", nameof(createActor));
        if (_actor.ActionSize != _actSize)
            throw new ArgumentException($"The injected actor outputs {_actor.ActionSize} action dimensions; the action space has {_actSize}.", nameof(createActor));
        _critic = CreateCritic(createCritic, streams.Init);
        _criticTarget = CreateCritic(createCritic, streams.Init);
        _criticTarget.CopyFrom(_critic);
        _criticParams = _critic.Parameters();
        _members = new int[parameters.EnsembleSize];
        _actorOptimizer = createOptimizer is null
            ? new Adam(_actor.Parameters(), parameters.ActorLearningRate)
            : createOptimizer(_actor.Parameters(), parameters.ActorLearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        _criticOptimizer = createOptimizer is null
            ? new Adam(_criticParams, parameters.CriticLearningRate)
            : createOptimizer(_criticParams, parameters.CriticLearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        _logAlpha = Tensor.Full([1], parameters.AutoAlpha ? (float)parameters.InitialLogAlpha : 0f).Clone();
        _logAlpha.RequiresGrad = parameters.AutoAlpha;
        if (parameters.AutoAlpha) _alphaOptimizer = new Adam([_logAlpha], parameters.AlphaLearningRate);
        _targetEntropy = (float)(parameters.TargetEntropy ?? -_actSize);

        _buffer = new ReplayBuffer(parameters.BufferSize, _obsSize, _actSize, numEnvs, parameters.NStep, parameters.Gamma);
        _batch = _buffer.CreateBatch(parameters.BatchSize);
        _networks = new Dictionary<string, Module>(StringComparer.Ordinal) { ["actor"] = _actor };
    }

    private EnsembleQCritic CreateCritic(Func<Rng, EnsembleQCritic>? create, Rng init)
    {
        var critic = create is null
            ? new EnsembleQCritic(Params.EnsembleSize, _obsSize, _actSize, [256, 256], Activation.ReLU, init)
            : create(init) ?? throw new ArgumentException("createCritic returned null.", nameof(create));
        if (critic.EnsembleSize != Params.EnsembleSize || critic.InputSize != _obsSize + _actSize)
            throw new ArgumentException(
                $"The injected critic ensemble has {critic.EnsembleSize} members on {critic.InputSize} inputs; RedqParams.EnsembleSize is {Params.EnsembleSize} and observation + action is {_obsSize + _actSize}.", nameof(create));
        return critic;
    }

    /// <summary>The hyperparameters.</summary>
    public RedqParams Params { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The policy network: <c>"actor"</c>.</summary>
    public IReadOnlyDictionary<string, Module> Networks => _networks;

    /// <summary>The squashed-Gaussian actor.</summary>
    public TanhGaussianActor Actor => _actor;

    /// <summary>The critic ensemble.</summary>
    public EnsembleQCritic Critic => _critic;

    /// <summary>The Polyak-averaged target ensemble.</summary>
    public EnsembleQCritic CriticTarget => _criticTarget;

    /// <summary>The current entropy coefficient α: exp(log α) with automatic tuning, else <see cref="RedqParams.Alpha"/>.</summary>
    public double Alpha => Params.AutoAlpha ? Math.Exp(_logAlpha.Data[0]) : Params.Alpha;

    /// <summary>The entropy target of automatic α tuning.</summary>
    public double TargetEntropy => _targetEntropy;

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

    /// <summary>Actions in the Box's bounds: <c>tanh(μ)</c> when <paramref name="deterministic"/>, else <c>tanh(u)</c>, <c>u ~ N(μ, σ)</c>.</summary>
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = Rows(observations, actions);
        Policy(observations, actions, rows, deterministic);
        _actionScale.Unscale(actions);
    }

    /// <inheritdoc />
    public void Explore(ReadOnlySpan<float> observations, Span<float> envActions, Span<float> bufferActions, bool uniformRandom)
    {
        var rows = Rows(observations, envActions);
        if (bufferActions.Length != envActions.Length)
            throw new ArgumentException($"bufferActions must hold {envActions.Length} floats; got {bufferActions.Length}.", nameof(bufferActions));
        if (uniformRandom)
            for (var i = 0; i < bufferActions.Length; i++) bufferActions[i] = 2f * _explorationRng.NextFloat() - 1f;
        else
            Policy(observations, bufferActions, rows, deterministic: false);
        bufferActions.CopyTo(envActions);
        _actionScale.Unscale(envActions);
    }

    /// <summary>REDQ has no per-step schedule; nothing to do.</summary>
    public void OnEnvSteps(long envSteps, long totalEnvSteps) { }

    /// <summary>
    /// One critic step on a replay batch; every <see cref="RedqParams.ActorDelay"/>-th critic step (counted by
    /// <paramref name="gradientStep"/>, 1-based) also one actor step and one α step; then the target ensemble.
    /// </summary>
    public UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = _batch;
        _buffer.Sample(b, _samplingRng);
        var n = b.Size;
        var e = Params.EnsembleSize;
        var alpha = (float)Alpha;
        using var scope = Tensor.Scope();

        // 1. Target without gradient, with a' ~ π(·|s') and a random subset 𝓜 ⊂ {1..N}, |𝓜| = M, drawn without replacement:
        //      y = R + γ^k (1 − done) · (min_{i∈𝓜} Q'ᵢ(s', a') − α log π(a'|s'))      (mean over 𝓜 with TargetMode.Mean)
        //    All N target critics are evaluated by one batched forward (as Tianshou), then the subset is read.
        Tensor y;
        using (Tensor.NoGrad())
        {
            var (nextMean, nextLogStd) = _actor.Distribution(b.NextObs);
            var (nextAction, nextLogPi) = new TanhNormal(nextMean, nextLogStd).RSampleWithLogProb(_samplingRng);
            var qNext = _criticTarget.Forward(b.NextObs, nextAction);                             // [N, B, 1]
            var subset = DrawSubset(_members, Params.SubsetSize, _samplingRng);
            y = Tensor.Empty([n]);
            SubsetTarget(qNext.Data, e, subset, Params.TargetMode, nextLogPi.Data, alpha,
                b.Rewards.Data, b.Discounts.Data, b.Dones.Data, y.Data);                        // [B]
        }

        // 2. Critics: J(Q) = mean over i and the batch of (Qᵢ(s, a) − y)² (Tianshou's ensemble loss).
        var q = _critic.Forward(b.Obs, b.Actions).Reshape([e, n]);                              // [N, B]
        var criticLoss = (q - y).Pow(2f).Mean();
        _criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        var criticNorm = GradClip.ClipGradNorm(_criticParams, double.PositiveInfinity);
        var criticLossValue = (double)criticLoss.Item();
        NonFiniteException.ThrowIfNonFinite("train/critic_loss", criticLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", criticNorm, envSteps, gradientStep);
        _criticOptimizer.Step();

        // 3. Every ActorDelay-th critic step: the actor with the updated ensemble's mean, a ~ π(·|s) reparameterised,
        //      J(π) = mean(α log π(a|s) − (1/N) Σᵢ Qᵢ(s, a)),
        //    then α:  J(α) = −mean(log α · (log π(a|s) + H̄)), H̄ = target entropy (α of this step used before its update).
        var alphaLossValue = 0.0;
        if (gradientStep % Params.ActorDelay == 0)
        {
            var (mean, logStd) = _actor.Distribution(b.Obs);
            var (actionPi, logPi) = new TanhNormal(mean, logStd).RSampleWithLogProb(_samplingRng);
            SetRequiresGrad(_criticParams, false);                // gradients flow through the critics to a, not into them
            var qPi = _critic.Forward(b.Obs, actionPi);                                         // [N, B, 1]
            var actorLoss = alpha * logPi.Mean() - qPi.Mean();
            _actorOptimizer.ZeroGrad();
            actorLoss.Backward();
            SetRequiresGrad(_criticParams, true);
            var actorNorm = GradClip.ClipGradNorm(_actorOptimizer.Parameters, double.PositiveInfinity);
            _lastActorLoss = actorLoss.Item();
            NonFiniteException.ThrowIfNonFinite("train/actor_loss", _lastActorLoss, envSteps, gradientStep);
            NonFiniteException.ThrowIfNonFinite("train/actor_grad_norm", actorNorm, envSteps, gradientStep);
            _actorOptimizer.Step();

            if (_alphaOptimizer is not null)
            {
                var alphaLoss = -(_logAlpha * (logPi.Detach() + _targetEntropy)).Mean();
                _alphaOptimizer.ZeroGrad();
                alphaLoss.Backward();
                alphaLossValue = alphaLoss.Item();
                NonFiniteException.ThrowIfNonFinite("train/ent_coef_loss", alphaLossValue, envSteps, gradientStep);
                _alphaOptimizer.Step();
            }
        }

        // 4. Target ensemble after every critic step: θ' ← τθ + (1 − τ)θ'.
        _criticTarget.SoftUpdate(_critic, (float)Params.Tau);

        // Metrics (td_error: mean |Q₀ − y| of the first member).
        var qData = q.Data;
        var yData = y.Data;
        double qSum = 0, tdSum = 0;
        for (var i = 0; i < qData.Length; i++) qSum += qData[i];
        for (var i = 0; i < n; i++) tdSum += Math.Abs(qData[i] - yData[i]);
        _metrics.Add(criticLossValue, _lastActorLoss, alphaLossValue, alpha, qSum / qData.Length, tdSum / n, criticNorm);
        return new UpdateStats(criticLossValue, criticNorm);
    }

    /// <summary>
    /// REDQ's target for a batch: <c>y[b] = R[b] + D[b](1 − done[b]) · (agg_{i∈subset} Q'[i, b] − α · logπ'[b])</c>,
    /// with agg the minimum or the mean over the subset's members. <paramref name="qNext"/> is [ensemble, B] row-major.
    /// </summary>
    /// <param name="qNext">Every target critic's Q(s', a'), ensemble-major.</param>
    /// <param name="ensembleSize">Members N (rows of <paramref name="qNext"/>).</param>
    /// <param name="subset">The members to aggregate.</param>
    /// <param name="mode">Minimum or mean over the subset.</param>
    /// <param name="nextLogPi">log π(a'|s') per row.</param>
    /// <param name="alpha">The entropy coefficient α.</param>
    /// <param name="rewards">R (the n-step discounted reward sum) per row.</param>
    /// <param name="discounts">γ^k per row.</param>
    /// <param name="dones">1 for a terminal next state, else 0.</param>
    /// <param name="y">The targets, one per row.</param>
    public static void SubsetTarget(ReadOnlySpan<float> qNext, int ensembleSize, ReadOnlySpan<int> subset, RedqTargetMode mode,
        ReadOnlySpan<float> nextLogPi, float alpha, ReadOnlySpan<float> rewards, ReadOnlySpan<float> discounts, ReadOnlySpan<float> dones, Span<float> y)
    {
        var n = y.Length;
        if (qNext.Length != ensembleSize * n)
            throw new ArgumentException($"qNext must hold ensembleSize × B = {ensembleSize} × {n} values; got {qNext.Length}.", nameof(qNext));
        if (subset.IsEmpty) throw new ArgumentException("The subset must name at least one member.", nameof(subset));
        for (var i = 0; i < n; i++)
        {
            var agg = qNext[subset[0] * n + i];
            for (var j = 1; j < subset.Length; j++)
            {
                var v = qNext[subset[j] * n + i];
                agg = mode == RedqTargetMode.Min ? MathF.Min(agg, v) : agg + v;
            }
            if (mode == RedqTargetMode.Mean) agg /= subset.Length;
            y[i] = rewards[i] + discounts[i] * (1f - dones[i]) * (agg - alpha * nextLogPi[i]);
        }
    }

    /// <summary>The first <paramref name="m"/> entries of a fresh permutation of 0..N−1 (a partial Fisher–Yates shuffle): M members without replacement.</summary>
    private static ReadOnlySpan<int> DrawSubset(int[] members, int m, Rng rng)
    {
        for (var i = 0; i < members.Length; i++) members[i] = i;
        for (var i = 0; i < m; i++)
        {
            var j = rng.NextInt(i, members.Length);
            (members[i], members[j]) = (members[j], members[i]);
        }
        return members.AsSpan(0, m);
    }

    /// <summary>
    /// Writes means since the last call of <c>train/loss</c> (the critic loss), <c>train/critic_loss</c>,
    /// <c>train/actor_loss</c> (the last actor step's), <c>train/ent_coef_loss</c>, <c>train/alpha</c>, <c>train/q_mean</c>,
    /// <c>train/td_error</c> and <c>train/grad_norm</c> (critics), plus <c>train/learning_rate</c> (the actor's).
    /// </summary>
    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_metrics.Count > 0) sink.Write("train/loss", _metrics.Mean("train/critic_loss"), envStep);
        _metrics.WriteTo(sink, envStep);
        sink.Write("train/learning_rate", _actorOptimizer.LearningRate, envStep);
    }

    /// <summary>Copies the critics into their targets.</summary>
    public void SyncTargetNetworks() => _criticTarget.CopyFrom(_critic);

    /// <inheritdoc />
    public void SaveCheckpoint(string directory) =>
        OffPolicyCheckpoint.Save(directory, _buffer, CheckpointModules(), CheckpointOptimizers(),
            new RedqCheckpoint(CheckpointFormat, _explorationRng.GetState(), _samplingRng.GetState(), _logAlpha.Data[0], _lastActorLoss, _metrics.GetState()));

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        var meta = OffPolicyCheckpoint.Load<RedqCheckpoint>(directory, CheckpointFormat, _buffer, CheckpointModules(), CheckpointOptimizers(), m =>
        {
            if (!float.IsFinite(m.LogAlpha)) throw new InvalidDataException($"'{directory}/agent.json' holds log α = {m.LogAlpha}.");
            OffPolicyCheckpoint.RestoreMetrics(directory, _metrics, m.Metrics);
        });
        _explorationRng.SetState(meta.Exploration);
        _samplingRng.SetState(meta.Sampling);
        _logAlpha.Data[0] = meta.LogAlpha;
        _lastActorLoss = meta.LastActorLoss;
    }

    private const string CheckpointFormat = "rlexperiments.redq-checkpoint/1";

    private Dictionary<string, Module> CheckpointModules() =>
        new(StringComparer.Ordinal) { ["actor"] = _actor, ["critic"] = _critic, ["critic_target"] = _criticTarget };

    private (string File, Optimizer Optimizer)[] CheckpointOptimizers() => _alphaOptimizer is null
        ? [("actor_optimizer.safetensors", _actorOptimizer), ("critic_optimizer.safetensors", _criticOptimizer)]
        : [("actor_optimizer.safetensors", _actorOptimizer), ("critic_optimizer.safetensors", _criticOptimizer), ("alpha_optimizer.safetensors", _alphaOptimizer)];

    private sealed record RedqCheckpoint(string Format, RngState Exploration, RngState Sampling, float LogAlpha, double LastActorLoss, MetricAccumulatorState? Metrics);

    private void Policy(ReadOnlySpan<float> observations, Span<float> squashed, int rows, bool deterministic)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var (mean, logStd) = _actor.Distribution(Tensor.From(observations, [rows, _obsSize]));
        var m = mean.Data;
        if (deterministic)
        {
            for (var i = 0; i < m.Length; i++) squashed[i] = MathF.Tanh(m[i]);
            return;
        }
        var ls = logStd.Data;
        for (var i = 0; i < m.Length; i++)
            squashed[i] = MathF.Tanh(m[i] + MathF.Exp(ls[i]) * (float)_explorationRng.Normal());
    }

    private int Rows(ReadOnlySpan<float> observations, Span<float> actions)
    {
        var rows = observations.Length / _obsSize;
        if (rows * _obsSize != observations.Length || rows == 0)
            throw new ArgumentException($"observations must hold a positive multiple of {_obsSize} floats; got {observations.Length}.", nameof(observations));
        if (actions.Length != rows * _actSize)
            throw new ArgumentException($"actions must hold {rows} × {_actSize} floats; got {actions.Length}.", nameof(actions));
        return rows;
    }

    private static void SetRequiresGrad(IReadOnlyList<Tensor> parameters, bool value)
    {
        for (var i = 0; i < parameters.Count; i++) parameters[i].RequiresGrad = value;
    }
}
