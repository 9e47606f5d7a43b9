using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Distributions;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;
using RlExperiments.Agents.Networks;

namespace RlExperiments.Agents.Algorithms.Sac;

/// <summary>
/// Soft Actor-Critic (Haarnoja et al. 2018) with Stable-Baselines3's semantics: a tanh-squashed Gaussian actor,
/// twin critics with Polyak-averaged targets (clipped double-Q), and automatic tuning of the entropy coefficient
/// α on log α towards the target entropy −dim(A). Actions are produced in (−1, 1), stored in the replay buffer that
/// way and rescaled linearly to the Box's bounds for the environment.
/// </summary>
/// <remarks>The update (<see cref="Update"/>) follows SB3's order: α, critics, actor, targets. Acting and updating
/// allocate nothing in steady state.</remarks>
public sealed class SacAgent : IOffPolicyAgent, ITargetNetworks, ILearningRateControl
{
    private readonly TanhGaussianActor _actor;
    private readonly TwinQCritic _critic;
    private readonly TwinQCritic _criticTarget;
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
    private readonly IReadOnlyList<Tensor> _criticParams;
    private readonly TwinCriticPasses _criticParts;
    private readonly Tensor _qPi1, _qPi2;   // Q₁(s, a~π), Q₂(s, a~π) as leaves: their gradients seed the critics' backward passes
    private readonly Dictionary<string, Module> _networks;
    private readonly ActorDistributionWork _nextPolicy;

    // Update metrics accumulated since the last WriteMetrics, in write order (train/loss, the critic loss, is written first).
    private readonly MetricAccumulator _metrics = new(
        "train/critic_loss", "train/actor_loss", "train/ent_coef_loss", "train/alpha", "train/entropy",
        "train/q_mean", "train/td_error", "train/grad_norm", "train/actor_grad_norm");

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A bounded <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step (the replay buffer's row layout).</param>
    /// <param name="createActor">
    /// Creates the actor from the initialisation stream (experiments pass what their actor factory describes); null for
    /// Stable-Baselines3's: a [256, 256] ReLU trunk, log-std clamped to [−20, 2].
    /// </param>
    /// <param name="createCritic">
    /// Creates the twin critics (called twice, for the critics and their targets, with the initialisation stream); null for
    /// Stable-Baselines3's: two [256, 256] ReLU MLPs.
    /// </param>
    /// <param name="createOptimizer">
    /// Creates the actor's and the critics' optimisers from their parameters and <see cref="SacParams.LearningRate"/>; null
    /// for Adam with PyTorch's defaults. The entropy coefficient's optimiser is always Adam.
    /// </param>
    /// <exception cref="ArgumentException">The action space is not a bounded Box or the observation space not a Box, or an injected network does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public SacAgent(Space observationSpace, Space actionSpace, SacParams parameters, int seed, int numEnvs = 1,
        Func<Rng, TanhGaussianActor>? createActor = null, Func<Rng, TwinQCritic>? createCritic = null,
        Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(parameters);
        if (actionSpace is not Box box)
            throw new ArgumentException(
                $"SAC needs a continuous (Box) action space (e.g. Pendulum-v1, MountainCarContinuous-v0); got {actionSpace}. " +
                "For discrete actions use DQN.", nameof(actionSpace));
        if (!box.IsBounded)
            throw new ArgumentException($"SAC squashes actions with tanh and rescales them to the Box's bounds, which must be finite; got {box}.", nameof(actionSpace));
        if (observationSpace is not Box)
            throw new ArgumentException($"SAC needs a Box (vector) observation space; got {observationSpace}.", nameof(observationSpace));
        parameters.Validate();
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be ≥ 1.");
        if (parameters.BufferSize < numEnvs)
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.BufferSize, $"SacParams.BufferSize must be ≥ numEnvs ({numEnvs}); got {parameters.BufferSize}.");

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
        _critic = createCritic is null
            ? new TwinQCritic(_obsSize, _actSize, [256, 256], Activation.ReLU, streams.Init)
            : createCritic(streams.Init) ?? throw new ArgumentException("createCritic returned null.", nameof(createCritic));
        _criticTarget = createCritic is null
            ? new TwinQCritic(_obsSize, _actSize, [256, 256], Activation.ReLU, streams.Init)
            : createCritic(streams.Init) ?? throw new ArgumentException("createCritic returned null.", nameof(createCritic));
        _criticTarget.CopyFrom(_critic);
        _criticParams = _critic.Parameters();
        _actorOptimizer = createOptimizer is null
            ? new Adam(_actor.Parameters(), parameters.LearningRate)
            : createOptimizer(_actor.Parameters(), parameters.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        _criticOptimizer = createOptimizer is null
            ? new Adam(_criticParams, parameters.LearningRate)
            : createOptimizer(_criticParams, parameters.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        _logAlpha = Tensor.Full([1], (float)Math.Log(parameters.EntCoef), requiresGrad: true).Clone();
        _logAlpha.RequiresGrad = parameters.AutoEntCoef;
        if (parameters.AutoEntCoef) _alphaOptimizer = new Adam([_logAlpha], parameters.LearningRate);
        _targetEntropy = (float)(parameters.TargetEntropy ?? -_actSize);

        _buffer = new ReplayBuffer(parameters.BufferSize, _obsSize, _actSize, numEnvs, parameters.NStep, parameters.Gamma);
        _batch = _buffer.CreateBatch(parameters.BatchSize);
        _criticParts = new TwinCriticPasses(_critic, _criticTarget, parameters.BatchSize, lossScale: 0.5f);
        _qPi1 = Tensor.Zeros([parameters.BatchSize, 1], requiresGrad: true);
        _qPi2 = Tensor.Zeros([parameters.BatchSize, 1], requiresGrad: true);
        _networks = new Dictionary<string, Module>(StringComparer.Ordinal) { ["actor"] = _actor };
        _nextPolicy = new ActorDistributionWork(_actor, parameters.BatchSize);
    }

    /// <summary>The hyperparameters.</summary>
    public SacParams Params { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The policy network: <c>"actor"</c>.</summary>
    public IReadOnlyDictionary<string, Module> Networks => _networks;

    /// <summary>The squashed-Gaussian actor.</summary>
    public TanhGaussianActor Actor => _actor;

    /// <summary>The twin critics.</summary>
    public TwinQCritic Critic => _critic;

    /// <summary>The Polyak-averaged target critics.</summary>
    public TwinQCritic CriticTarget => _criticTarget;

    /// <summary>The current entropy coefficient α = exp(log α).</summary>
    public double Alpha => Math.Exp(_logAlpha.Data[0]);

    /// <summary>The entropy target of automatic α tuning.</summary>
    public double TargetEntropy => _targetEntropy;

    /// <summary>The actor's, the critics' and (with automatic tuning, else null) log α's optimisers.</summary>
    public (Optimizer Actor, Optimizer Critic, Adam? Alpha) Optimizers => (_actorOptimizer, _criticOptimizer, _alphaOptimizer);

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
    /// Actions in the Box's bounds: <c>tanh(μ)</c> when <paramref name="deterministic"/>, else <c>tanh(u)</c>,
    /// <c>u ~ N(μ, σ)</c>, rescaled linearly from (−1, 1).
    /// </summary>
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
        {
            // Uniform over the Box, i.e. uniform over [−1, 1) before rescaling (SB3 samples the space, then scales).
            for (var i = 0; i < bufferActions.Length; i++) bufferActions[i] = 2f * _explorationRng.NextFloat() - 1f;
        }
        else
        {
            Policy(observations, bufferActions, rows, deterministic: false);
        }
        bufferActions.CopyTo(envActions);
        _actionScale.Unscale(envActions);
    }

    /// <summary>SAC has no per-step schedule; nothing to do.</summary>
    public void OnEnvSteps(long envSteps, long totalEnvSteps) { }

    /// <summary>One gradient step on a replay batch: entropy coefficient, critics, actor, then target critics.</summary>
    public UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = _batch;
        _buffer.Sample(b, _samplingRng);
        var n = b.Size;
        using var scope = Tensor.Scope();

        // 1. A reparameterised action for the batch's states: a = tanh(μ + σ·ε), with log π(a|s) [B]. Meanwhile a worker
        //    computes the actor's distribution on the next states for step 3 (no gradient; the noise is drawn there, in
        //    SB3's order).
        var nextPolicy = TensorParallel.Fork(_nextPolicy.For(b.NextObs));
        Tensor actionPi, logPi;
        try
        {
            var (mean, logStd) = _actor.Distribution(b.Obs);
            (actionPi, logPi) = new TanhNormal(mean, logStd).RSampleWithLogProb(_samplingRng);
        }
        finally
        {
            nextPolicy.Join();
        }
        var logPiColumn = logPi.Reshape([n, 1]);

        // 2. Entropy coefficient: J(α) = −mean(log α · (log π(a|s) + H̄)), H̄ = target entropy.
        //    This update uses α before its step, as SB3 does.
        var alpha = (float)Math.Exp(_logAlpha.Data[0]);
        var alphaLossValue = 0.0;
        if (_alphaOptimizer is not null)
        {
            var alphaLoss = -(_logAlpha * (logPi.Detach() + _targetEntropy)).Mean();
            _alphaOptimizer.ZeroGrad();
            alphaLoss.Backward();
            alphaLossValue = alphaLoss.Item();
            NonFiniteException.ThrowIfNonFinite("train/ent_coef_loss", alphaLossValue, envSteps, gradientStep);
            _alphaOptimizer.Step();
        }

        // 3. Critic target without gradient, with a' ~ π(·|s'):
        //      y = R + γ^k (1 − done) · (min(Q₁'(s', a'), Q₂'(s', a')) − α log π(a'|s'))
        //    Q₁' and Q₂' are evaluated one per core (TwinCriticPasses).
        var parts = _criticParts;
        Tensor y;
        using (Tensor.NoGrad())
        {
            var (nextAction, nextLogPi) = new TanhNormal(_nextPolicy.Mean, _nextPolicy.LogStd).RSampleWithLogProb(_samplingRng);
            parts.Target(b.NextObs, nextAction);
            var vNext = parts.Q1.Minimum(parts.Q2) - alpha * nextLogPi.Reshape([n, 1]);         // [B, 1]
            y = b.Rewards + b.Discounts * (1f - b.Dones) * vNext;                              // [B, 1]
        }

        // 4. Critics: J(Q) = ½ Σⱼ mean((Qⱼ(s, a) − y)²), i.e. each Qⱼ's gradient is that of ½ mean((Qⱼ − y)²), which
        //    TwinCriticPasses computes for the two critics on two cores (the same bits as one backward through the sum).
        _criticOptimizer.ZeroGrad();
        parts.Train(b.Obs, b.Actions, y);
        var q1 = parts.Q1;
        var criticNorm = GradClip.ClipGradNorm(_criticParams, parts.GradientSumsOfSquares, Params.MaxGradNorm);
        var criticLossValue = (double)(0.5f * (parts.MeanSquaredError1 + parts.MeanSquaredError2));
        NonFiniteException.ThrowIfNonFinite("train/critic_loss", criticLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", criticNorm, envSteps, gradientStep);
        _criticOptimizer.Step();

        // 5. Actor: J(π) = mean(α log π(a|s) − min(Q₁(s, a), Q₂(s, a))) with the updated critics, whose weights are
        //    frozen for this pass (the gradient still flows through them to a). The two critics' passes run one per core:
        //    forward, then the seeds ∂J/∂Qⱼ (and J) from the same operations on the two Q columns, then each critic's
        //    backward to its input x = [s, a]; the actor's graph receives their sum G through ∂/∂x Σ x ⊙ G = G. The
        //    gradients are the bits of the single graph (TwinCriticPassesTests).
        SetRequiresGrad(_criticParams, false);
        double actorLossValue;
        try
        {
            parts.PolicyForward(b.Obs, actionPi);
            parts.Q1.Data.CopyTo(_qPi1.Data);
            parts.Q2.Data.CopyTo(_qPi2.Data);
            _qPi1.ZeroGrad();
            _qPi2.ZeroGrad();
            var actorLoss = (alpha * logPiColumn.Detach() - _qPi1.Minimum(_qPi2)).Mean();
            actorLoss.Backward();
            actorLossValue = actorLoss.Item();
            parts.PolicyBackward(_qPi1.Grad!, _qPi2.Grad!);
        }
        finally
        {
            SetRequiresGrad(_criticParams, true);
        }
        var actorSurrogate = (alpha * logPiColumn).Mean() + (Tensor.Cat(b.Obs, actionPi) * parts.InputGradient).Sum();
        _actorOptimizer.ZeroGrad();
        actorSurrogate.Backward();
        var actorNorm = ClipOrNorm(_actorOptimizer.Parameters);
        NonFiniteException.ThrowIfNonFinite("train/actor_loss", actorLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/actor_grad_norm", actorNorm, envSteps, gradientStep);
        _actorOptimizer.Step();

        // 6. Target critics: θ' ← τθ + (1 − τ)θ'.
        if (gradientStep % Params.TargetUpdateInterval == 0) _criticTarget.SoftUpdate(_critic, (float)Params.Tau);

        // Metrics.
        var q1Data = q1.Data;
        var yData = y.Data;
        var logPiData = logPi.Data;
        double qSum = 0, tdSum = 0, logPiSum = 0;
        for (var i = 0; i < n; i++)
        {
            qSum += q1Data[i];
            tdSum += Math.Abs(q1Data[i] - yData[i]);
            logPiSum += logPiData[i];
        }
        _metrics.Add(criticLossValue, actorLossValue, alphaLossValue, alpha, -logPiSum / n, qSum / n, tdSum / n, criticNorm, actorNorm);
        return new UpdateStats(criticLossValue, criticNorm);
    }

    /// <summary>
    /// Writes means since the last call of <c>train/loss</c> (the critic loss), <c>train/critic_loss</c>,
    /// <c>train/actor_loss</c>, <c>train/ent_coef_loss</c>, <c>train/alpha</c>, <c>train/entropy</c> (−mean log π),
    /// <c>train/q_mean</c>, <c>train/td_error</c> (mean |Q₁ − y|), <c>train/grad_norm</c> (critics) and
    /// <c>train/actor_grad_norm</c>, plus <c>train/learning_rate</c>.
    /// </summary>
    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_metrics.Count > 0) sink.Write("train/loss", _metrics.Mean("train/critic_loss"), envStep);
        _metrics.WriteTo(sink, envStep);
        sink.Write("train/learning_rate", _actorOptimizer.LearningRate, envStep);
    }

    /// <summary>Copies the critics into their targets (critic → critic target), e.g. after the critics' weights were replaced.</summary>
    public void SyncTargetNetworks() => _criticTarget.CopyFrom(_critic);

    /// <summary>The learning rate of the actor's optimiser.</summary>
    public double LearningRate => _actorOptimizer.LearningRate;

    /// <summary>
    /// Sets the learning rate of every optimiser <see cref="SacParams.LearningRate"/> drives: the actor's, the critics' and
    /// (with automatic entropy tuning) log α's.
    /// </summary>
    public void SetLearningRate(double learningRate)
    {
        LearningRateCheck.ThrowIfInvalid(learningRate);
        _actorOptimizer.LearningRate = _criticOptimizer.LearningRate = learningRate;
        if (_alphaOptimizer is not null) _alphaOptimizer.LearningRate = learningRate;
    }

    /// <inheritdoc />
    public void SaveCheckpoint(string directory) =>
        OffPolicyCheckpoint.Save(directory, _buffer, CheckpointModules(), CheckpointOptimizers(),
            new SacCheckpoint(CheckpointFormat, _explorationRng.GetState(), _samplingRng.GetState(), _logAlpha.Data[0], _metrics.GetState()));

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        var meta = OffPolicyCheckpoint.Load<SacCheckpoint>(directory, CheckpointFormat, _buffer, CheckpointModules(), CheckpointOptimizers(), m =>
        {
            if (!float.IsFinite(m.LogAlpha)) throw new InvalidDataException($"'{directory}/agent.json' holds log α = {m.LogAlpha}.");
            OffPolicyCheckpoint.RestoreMetrics(directory, _metrics, m.Metrics);
        });
        _explorationRng.SetState(meta.Exploration);
        _samplingRng.SetState(meta.Sampling);
        _logAlpha.Data[0] = meta.LogAlpha;
    }

    private const string CheckpointFormat = "rlexperiments.sac-checkpoint/2";

    private Dictionary<string, Module> CheckpointModules() =>
        new(StringComparer.Ordinal) { ["actor"] = _actor, ["critic"] = _critic, ["critic_target"] = _criticTarget };

    // The entropy coefficient's optimiser exists (and is saved) only with automatic tuning.
    private (string File, Optimizer Optimizer)[] CheckpointOptimizers() => _alphaOptimizer is null
        ? [("actor_optimizer.safetensors", _actorOptimizer), ("critic_optimizer.safetensors", _criticOptimizer)]
        : [("actor_optimizer.safetensors", _actorOptimizer), ("critic_optimizer.safetensors", _criticOptimizer), ("ent_coef_optimizer.safetensors", _alphaOptimizer)];

    // Metrics: the update-metric sums since the last write, by tag, so a resumed run logs the same means.
    private sealed record SacCheckpoint(string Format, RngState Exploration, RngState Sampling, float LogAlpha, MetricAccumulatorState? Metrics);

    /// <summary>Writes squashed actions in (−1, 1) for each observation row (sampled, or tanh(μ) when deterministic).</summary>
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

    private double ClipOrNorm(IReadOnlyList<Tensor> parameters) => GradClip.ClipGradNorm(parameters, Params.MaxGradNorm);

    // The actor's distribution (μ, log σ) on a batch of states, without gradient, computed on whichever thread runs the
    // fork and copied into tensors the agent owns.
    private sealed class ActorDistributionWork(TanhGaussianActor actor, int batchSize) : IParallelWork
    {
        private Tensor? _observations;

        public Tensor Mean { get; } = Tensor.Zeros([batchSize, actor.ActionSize]);

        public Tensor LogStd { get; } = Tensor.Zeros([batchSize, actor.ActionSize]);

        public ActorDistributionWork For(Tensor observations)
        {
            _observations = observations;
            return this;
        }

        public void Run(int part)
        {
            using var scope = Tensor.Scope();
            using var noGrad = Tensor.NoGrad();
            var (mean, logStd) = actor.Distribution(_observations!);
            mean.Data.CopyTo(Mean.Data);
            logStd.Data.CopyTo(LogStd.Data);
        }
    }

    private static void SetRequiresGrad(IReadOnlyList<Tensor> parameters, bool value)
    {
        for (var i = 0; i < parameters.Count; i++) parameters[i].RequiresGrad = value;
    }
}
