using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.DiscreteSac;

/// <summary>
/// Soft actor-critic for discrete actions (Christodoulou 2019) with Tianshou's update: a categorical actor
/// π(·|s) = softmax(logits(s)), twin Q-networks with one output per action and Polyak-averaged targets, every expectation
/// over actions taken exactly (<see cref="DiscreteSacLoss"/>), and automatic α towards coef·log|A|.
/// </summary>
/// <remarks>Acting and updating allocate nothing in steady state. Deterministic actions are argmax π(·|s).</remarks>
public sealed class DiscreteSacAgent : IOffPolicyAgent, ITargetNetworks
{
    private readonly Module _actor;
    private readonly TwinDiscreteQCritic _critic;
    private readonly TwinDiscreteQCritic _criticTarget;
    private readonly Optimizer _actorOptimizer;
    private readonly Optimizer _criticOptimizer;
    private readonly Adam? _alphaOptimizer;
    private readonly Tensor _logAlpha;
    private readonly float _targetEntropy;
    private readonly ReplayBuffer _buffer;
    private readonly ReplayBatch _batch;
    private readonly Rng _explorationRng;
    private readonly Rng _samplingRng;
    private readonly int _obsSize;
    private readonly int _numActions;
    private readonly int _actionStart;
    private readonly IReadOnlyList<Tensor> _criticParams;
    private readonly Dictionary<string, Module> _networks;

    private readonly MetricAccumulator _metrics = new(
        "train/critic_loss", "train/actor_loss", "train/ent_coef_loss", "train/alpha", "train/entropy", "train/q_mean", "train/grad_norm");

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step.</param>
    /// <param name="createActor">Creates the actor (<c>[B, obs]</c> → logits <c>[B, actions]</c>) from the initialisation stream (experiments pass what their actor factory describes); null for a [64, 64] ReLU MLP.</param>
    /// <param name="createCritic">Creates the twin critics (called twice, for the critics and their targets); null for two [64, 64] ReLU MLPs.</param>
    /// <param name="createOptimizer">Creates the actor's and the critics' optimisers; null for Adam. α's optimiser is always Adam.</param>
    /// <exception cref="ArgumentException">The action space is not Discrete or the observation space not a Box, or an injected network does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public DiscreteSacAgent(Space observationSpace, Space actionSpace, DiscreteSacParams parameters, int seed, int numEnvs = 1,
        Func<Rng, Module>? createActor = null, Func<Rng, TwinDiscreteQCritic>? createCritic = null,
        Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(parameters);
        if (actionSpace is not Discrete discrete)
            throw new ArgumentException(
                $"Discrete SAC needs a Discrete action space (e.g. CartPole-v1, Acrobot-v1); got {actionSpace}. For Box actions use SAC or REDQ.", nameof(actionSpace));
        if (observationSpace is not Box)
            throw new ArgumentException($"Discrete SAC needs a Box (vector) observation space; got {observationSpace}.", nameof(observationSpace));
        parameters.Validate();
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be ≥ 1.");
        if (parameters.BufferSize < numEnvs)
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.BufferSize, $"DiscreteSacParams.BufferSize must be ≥ numEnvs ({numEnvs}); got {parameters.BufferSize}.");

        Params = parameters;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        NumEnvs = numEnvs;
        _obsSize = observationSpace.FlatSize;
        _numActions = discrete.N;
        _actionStart = discrete.Start;

        var streams = SeedStreams.FromSeed(seed);
        _explorationRng = streams.Exploration;
        _samplingRng = streams.Sampling;
        _actor = createActor is null
            ? new Mlp(_obsSize, [64, 64], _numActions, Activation.ReLU, streams.Init)
            : createActor(streams.Init) ?? throw new ArgumentException("createActor returned null.", nameof(createActor));
        CheckActor(_actor, _obsSize, _numActions);
        _critic = CreateCritic(createCritic, streams.Init);
        _criticTarget = CreateCritic(createCritic, streams.Init);
        _criticTarget.CopyFrom(_critic);
        _criticParams = _critic.Parameters();
        _actorOptimizer = createOptimizer is null
            ? new Adam(_actor.Parameters(), parameters.ActorLearningRate)
            : createOptimizer(_actor.Parameters(), parameters.ActorLearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        _criticOptimizer = createOptimizer is null
            ? new Adam(_criticParams, parameters.CriticLearningRate)
            : createOptimizer(_criticParams, parameters.CriticLearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        _logAlpha = Tensor.Full([1], parameters.AutoAlpha ? (float)parameters.InitialLogAlpha : 0f).Clone();
        _logAlpha.RequiresGrad = parameters.AutoAlpha;
        if (parameters.AutoAlpha) _alphaOptimizer = new Adam([_logAlpha], parameters.AlphaLearningRate);
        _targetEntropy = (float)(parameters.TargetEntropyCoefficient * Math.Log(_numActions));

        _buffer = new ReplayBuffer(parameters.BufferSize, _obsSize, 1, numEnvs, parameters.NStep, parameters.Gamma);
        _batch = _buffer.CreateBatch(parameters.BatchSize);
        _networks = new Dictionary<string, Module>(StringComparer.Ordinal) { ["actor"] = _actor };
    }

    private TwinDiscreteQCritic CreateCritic(Func<Rng, TwinDiscreteQCritic>? create, Rng init)
    {
        var critic = create is null
            ? new TwinDiscreteQCritic(_obsSize, _numActions, [64, 64], Activation.ReLU, init)
            : create(init) ?? throw new ArgumentException("createCritic returned null.", nameof(create));
        if (critic.Actions != _numActions)
            throw new ArgumentException($"The injected critics output {critic.Actions} Q-values; the action space has {_numActions} actions.", nameof(create));
        return critic;
    }

    private static void CheckActor(Module actor, int obs, int actions)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var y = actor.Forward(Tensor.Zeros([1, obs]));
        if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != actions)
            throw new ArgumentException($"The actor maps [1, {obs}] to {y.ShapeString}; expected [1, {actions}] (one logit per action).", "createActor");
    }

    /// <summary>The hyperparameters.</summary>
    public DiscreteSacParams Params { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The policy network: <c>"actor"</c> (logits).</summary>
    public IReadOnlyDictionary<string, Module> Networks => _networks;

    /// <summary>The actor, observations → logits.</summary>
    public Module Actor => _actor;

    /// <summary>The twin critics.</summary>
    public TwinDiscreteQCritic Critic => _critic;

    /// <summary>The Polyak-averaged target critics.</summary>
    public TwinDiscreteQCritic CriticTarget => _criticTarget;

    /// <summary>The current entropy coefficient α: exp(log α) with automatic tuning, else <see cref="DiscreteSacParams.Alpha"/>.</summary>
    public double Alpha => Params.AutoAlpha ? Math.Exp(_logAlpha.Data[0]) : Params.Alpha;

    /// <summary>The entropy target of automatic α tuning, coef·log|A|.</summary>
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

    /// <summary>One action per observation row: argmax π(·|s) when <paramref name="deterministic"/>, else a ~ π(·|s).</summary>
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = observations.Length / _obsSize;
        if (rows * _obsSize != observations.Length || rows == 0)
            throw new ArgumentException($"observations must hold a positive multiple of {_obsSize} floats; got {observations.Length}.", nameof(observations));
        if (actions.Length != rows)
            throw new ArgumentException($"actions must hold one value per row ({rows}); got {actions.Length}.", nameof(actions));
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var logits = _actor.Forward(Tensor.From(observations, [rows, _obsSize])).Data;
        for (var r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * _numActions, _numActions);
            actions[r] = _actionStart + (deterministic ? Argmax(row) : SampleSoftmax(row, _explorationRng));
        }
    }

    /// <inheritdoc />
    public void Explore(ReadOnlySpan<float> observations, Span<float> envActions, Span<float> bufferActions, bool uniformRandom)
    {
        if (uniformRandom)
            for (var r = 0; r < envActions.Length; r++) envActions[r] = _actionStart + _explorationRng.NextInt(_numActions);
        else
            Act(observations, envActions, deterministic: false);
        // The buffer stores the Q-networks' column index.
        for (var r = 0; r < envActions.Length; r++) bufferActions[r] = envActions[r] - _actionStart;
    }

    /// <summary>Discrete SAC has no per-step schedule; nothing to do.</summary>
    public void OnEnvSteps(long envSteps, long totalEnvSteps) { }

    /// <summary>One gradient step on a replay batch: critics, actor, α, then the target critics (Tianshou's order).</summary>
    public UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = _batch;
        _buffer.Sample(b, _samplingRng);
        var n = b.Size;
        var alpha = (float)Alpha;
        using var scope = Tensor.Scope();

        // 1. Target without gradient, the expectation over a' ~ π(·|s') taken exactly:
        //      V(s') = Σ_a' π(a'|s') · (min(Q₁'(s', a'), Q₂'(s', a')) − α log π(a'|s'))
        //      y = R + γ^k (1 − done) · V(s')
        Tensor y;
        using (Tensor.NoGrad())
        {
            var (q1Next, q2Next) = _criticTarget.Forward2(b.NextObs);
            var vNext = DiscreteSacLoss.SoftValue(_actor.Forward(b.NextObs), q1Next, q2Next, alpha).Reshape([n, 1]);
            y = b.Rewards + b.Discounts * (1f - b.Dones) * vNext;                               // [B, 1]
        }

        // 2. Critics: J(Q) = mean((Q₁(s, a) − y)²) + mean((Q₂(s, a) − y)²) (Tianshou steps the two with their own
        //    optimisers; the networks share no weights, so one Adam over both with the summed loss is the same update).
        var (q1, q2) = _critic.Forward2(b.Obs);
        var criticLoss = Functional.GatherMseLoss(q1, b.Actions, y) + Functional.GatherMseLoss(q2, b.Actions, y);
        _criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        var criticNorm = GradClip.ClipGradNorm(_criticParams, double.PositiveInfinity);
        var criticLossValue = (double)criticLoss.Item();
        NonFiniteException.ThrowIfNonFinite("train/critic_loss", criticLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", criticNorm, envSteps, gradientStep);
        _criticOptimizer.Step();

        // 3. Actor with the updated critics as constants, exactly over a ~ π(·|s):
        //      J(π) = mean_s Σ_a π(a|s) · (α log π(a|s) − min(Q₁(s, a), Q₂(s, a)))
        Tensor q1Pi, q2Pi;
        using (Tensor.NoGrad()) (q1Pi, q2Pi) = _critic.Forward2(b.Obs);
        var (actorLoss, entropy) = DiscreteSacLoss.PolicyLoss(_actor.Forward(b.Obs), q1Pi, q2Pi, alpha);
        _actorOptimizer.ZeroGrad();
        actorLoss.Backward();
        var actorNorm = GradClip.ClipGradNorm(_actorOptimizer.Parameters, double.PositiveInfinity);
        var actorLossValue = (double)actorLoss.Item();
        NonFiniteException.ThrowIfNonFinite("train/actor_loss", actorLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/actor_grad_norm", actorNorm, envSteps, gradientStep);
        _actorOptimizer.Step();

        // 4. α: J(α) = −mean(log α · (H̄ − H(s))), H(s) = −Σ_a π(a|s) log π(a|s), H̄ = coef · log|A|.
        var alphaLossValue = 0.0;
        if (_alphaOptimizer is not null)
        {
            var alphaLoss = DiscreteSacLoss.AlphaLoss(_logAlpha, entropy, _targetEntropy);
            _alphaOptimizer.ZeroGrad();
            alphaLoss.Backward();
            alphaLossValue = alphaLoss.Item();
            NonFiniteException.ThrowIfNonFinite("train/ent_coef_loss", alphaLossValue, envSteps, gradientStep);
            _alphaOptimizer.Step();
        }

        // 5. Target critics: θ' ← τθ + (1 − τ)θ'.
        _criticTarget.SoftUpdate(_critic, (float)Params.Tau);

        var entropyData = entropy.Data;
        var q1Data = q1.Data;
        double hSum = 0, qSum = 0;
        for (var i = 0; i < n; i++) hSum += entropyData[i];
        for (var i = 0; i < q1Data.Length; i++) qSum += q1Data[i];
        _metrics.Add(criticLossValue, actorLossValue, alphaLossValue, alpha, hSum / n, qSum / q1Data.Length, criticNorm);
        return new UpdateStats(criticLossValue, criticNorm);
    }

    /// <summary>
    /// Writes means since the last call of <c>train/loss</c> (the critic loss), <c>train/critic_loss</c>,
    /// <c>train/actor_loss</c>, <c>train/ent_coef_loss</c>, <c>train/alpha</c>, <c>train/entropy</c>, <c>train/q_mean</c>
    /// and <c>train/grad_norm</c> (critics), plus <c>train/learning_rate</c> (the actor's).
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
            new DiscreteSacCheckpoint(CheckpointFormat, _explorationRng.GetState(), _samplingRng.GetState(), _logAlpha.Data[0], _metrics.GetState()));

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        var meta = OffPolicyCheckpoint.Load<DiscreteSacCheckpoint>(directory, CheckpointFormat, _buffer, CheckpointModules(), CheckpointOptimizers(), m =>
        {
            if (!float.IsFinite(m.LogAlpha)) throw new InvalidDataException($"'{directory}/agent.json' holds log α = {m.LogAlpha}.");
            OffPolicyCheckpoint.RestoreMetrics(directory, _metrics, m.Metrics);
        });
        _explorationRng.SetState(meta.Exploration);
        _samplingRng.SetState(meta.Sampling);
        _logAlpha.Data[0] = meta.LogAlpha;
    }

    private const string CheckpointFormat = "rlexperiments.discrete-sac-checkpoint/1";

    private Dictionary<string, Module> CheckpointModules() =>
        new(StringComparer.Ordinal) { ["actor"] = _actor, ["critic"] = _critic, ["critic_target"] = _criticTarget };

    private (string File, Optimizer Optimizer)[] CheckpointOptimizers() => _alphaOptimizer is null
        ? [("actor_optimizer.safetensors", _actorOptimizer), ("critic_optimizer.safetensors", _criticOptimizer)]
        : [("actor_optimizer.safetensors", _actorOptimizer), ("critic_optimizer.safetensors", _criticOptimizer), ("alpha_optimizer.safetensors", _alphaOptimizer)];

    private sealed record DiscreteSacCheckpoint(string Format, RngState Exploration, RngState Sampling, float LogAlpha, MetricAccumulatorState? Metrics);

    private static int Argmax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var a = 1; a < row.Length; a++) if (row[a] > row[best]) best = a;
        return best;
    }

    /// <summary>Samples from softmax(logits) by inverting the cumulative distribution with one uniform draw.</summary>
    private static int SampleSoftmax(ReadOnlySpan<float> logits, Rng rng)
    {
        var max = logits[0];
        for (var a = 1; a < logits.Length; a++) max = MathF.Max(max, logits[a]);
        double z = 0;
        for (var a = 0; a < logits.Length; a++) z += Math.Exp(logits[a] - max);
        var u = rng.NextDouble() * z;
        double c = 0;
        for (var a = 0; a < logits.Length - 1; a++)
        {
            c += Math.Exp(logits[a] - max);
            if (u < c) return a;
        }
        return logits.Length - 1;
    }
}
