using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.ContinuousControl;

/// <summary>
/// What the deterministic-policy actor-critics (DDPG, TD3) share, as Stable-Baselines3's <c>TD3</c> base: a tanh
/// actor μ(s) ∈ (−1, 1) and its Polyak target, a critic of type <typeparamref name="TCritic"/> and its target, Adam
/// optimisers for both, a replay buffer holding actions in (−1, 1), Gaussian exploration noise in that space (so its
/// scale is relative to the Box's half-range, Tianshou's <c>MaxActionScaledGaussian</c>), the linear rescaling to the
/// Box, and the checkpoint. Each algorithm writes its own <see cref="Update"/>.
/// </summary>
/// <typeparam name="TCritic">The critic network (one Q-network, or twin ones).</typeparam>
public abstract class DeterministicPolicyAgent<TCritic> : IOffPolicyAgent, ITargetNetworks, ILearningRateControl
    where TCritic : Module
{
    private readonly DeterministicPolicySettings _settings;
    private readonly BoxActionScale _actionScale;
    private readonly Rng _explorationRng;
    private readonly Dictionary<string, Module> _networks;
    private readonly string _checkpointFormat;
    private readonly int _obsSize;
    private readonly int _actSize;
    private readonly float _noise;
    private readonly float[]? _ouNoise;

    private protected DeterministicPolicyAgent(Space observationSpace, Space actionSpace, DeterministicPolicySettings settings, int seed, int numEnvs,
        Func<Rng, DeterministicActor> createActor, Func<Rng, TCritic> createCritic, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer,
        string checkpointFormat, string[] criticMetricTags)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        var algo = settings.Algorithm;
        if (actionSpace is not Box box)
            throw new ArgumentException(
                $"{algo} needs a continuous (Box) action space (e.g. Pendulum-v1, MountainCarContinuous-v0); got {actionSpace}. " +
                "For discrete actions use DQN.", nameof(actionSpace));
        if (!box.IsBounded)
            throw new ArgumentException($"{algo} squashes actions with tanh and rescales them to the Box's bounds, which must be finite; got {box}.", nameof(actionSpace));
        if (observationSpace is not Box)
            throw new ArgumentException($"{algo} needs a Box (vector) observation space; got {observationSpace}.", nameof(observationSpace));
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be ≥ 1.");
        if (settings.BufferSize < numEnvs)
            throw new ArgumentOutOfRangeException("parameters", settings.BufferSize, $"{algo}'s BufferSize must be ≥ numEnvs ({numEnvs}); got {settings.BufferSize}.");

        _settings = settings;
        _checkpointFormat = checkpointFormat;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        NumEnvs = numEnvs;
        _obsSize = observationSpace.FlatSize;
        _actSize = box.FlatSize;
        _noise = (float)settings.ExplorationNoise;
        _ouNoise = settings.NoiseType == ExplorationNoiseType.OrnsteinUhlenbeck ? new float[numEnvs * _actSize] : null;
        _actionScale = new BoxActionScale(box);

        // Initialisation order as SB3's TD3: actor, actor target, critic, critic target (targets start as copies).
        var streams = SeedStreams.FromSeed(seed);
        _explorationRng = streams.Exploration;
        SamplingRng = streams.Sampling;
        Actor = createActor(streams.Init) ?? throw new ArgumentException("createActor returned null.", nameof(createActor));
        if (Actor.ActionSize != _actSize)
            throw new ArgumentException($"The injected actor outputs {Actor.ActionSize} action dimensions; the action space has {_actSize}.", nameof(createActor));
        ActorTarget = createActor(streams.Init) ?? throw new ArgumentException("createActor returned null.", nameof(createActor));
        ActorTarget.CopyFrom(Actor);
        Critic = createCritic(streams.Init) ?? throw new ArgumentException("createCritic returned null.", nameof(createCritic));
        CriticTarget = createCritic(streams.Init) ?? throw new ArgumentException("createCritic returned null.", nameof(createCritic));
        CriticTarget.CopyFrom(Critic);
        CriticParams = Critic.Parameters();
        ActorOptimizer = createOptimizer is null
            ? new Adam(Actor.Parameters(), settings.LearningRate)
            : createOptimizer(Actor.Parameters(), settings.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        CriticOptimizer = createOptimizer is null
            ? new Adam(CriticParams, settings.LearningRate)
            : createOptimizer(CriticParams, settings.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));

        Buffer = new ReplayBuffer(settings.BufferSize, _obsSize, _actSize, numEnvs, settings.NStep, settings.Gamma);
        Batch = Buffer.CreateBatch(settings.BatchSize);
        CriticMetrics = new MetricAccumulator(criticMetricTags);
        _networks = new Dictionary<string, Module>(StringComparer.Ordinal) { ["actor"] = Actor };
    }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The policy network: <c>"actor"</c>.</summary>
    public IReadOnlyDictionary<string, Module> Networks => _networks;

    /// <summary>The deterministic actor μ(s) ∈ (−1, 1).</summary>
    public DeterministicActor Actor { get; }

    /// <summary>The Polyak-averaged target actor μ'.</summary>
    public DeterministicActor ActorTarget { get; }

    /// <summary>The critic.</summary>
    public TCritic Critic { get; }

    /// <summary>The Polyak-averaged target critic.</summary>
    public TCritic CriticTarget { get; }

    /// <summary>The actor's and the critic's optimisers.</summary>
    public (Optimizer Actor, Optimizer Critic) Optimizers => (ActorOptimizer, CriticOptimizer);

    /// <inheritdoc />
    public int TrainFreq => _settings.TrainFreq;

    /// <inheritdoc />
    public int GradientSteps => _settings.GradientSteps;

    /// <inheritdoc />
    public int LearningStarts => _settings.LearningStarts;

    /// <inheritdoc />
    public int NumEnvs { get; }

    /// <inheritdoc />
    public ReplayBuffer Buffer { get; }

    private Optimizer ActorOptimizer { get; }
    private Optimizer CriticOptimizer { get; }
    private IReadOnlyList<Tensor> CriticParams { get; }
    private ReplayBatch Batch { get; }
    private protected Rng SamplingRng { get; }

    /// <summary>The critic-step metrics, in write order; the first is the critic loss (also written as <c>train/loss</c>).</summary>
    private MetricAccumulator CriticMetrics { get; }

    /// <summary>The actor-step metrics (only steps that update the actor contribute).</summary>
    private MetricAccumulator ActorMetrics { get; } = new("train/actor_loss", "train/actor_grad_norm");

    /// <summary>
    /// Actions in the Box's bounds: μ(s) when <paramref name="deterministic"/>, else clip(μ(s) + σε, −1, 1) with
    /// ε ~ N(0, 1) and σ the exploration noise, rescaled linearly from (−1, 1).
    /// </summary>
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = Rows(observations, actions);
        Policy(observations, actions, rows, explore: !deterministic);
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
            Policy(observations, bufferActions, rows, explore: true);
        }
        bufferActions.CopyTo(envActions);
        _actionScale.Unscale(envActions);
    }

    /// <summary>
    /// With Ornstein–Uhlenbeck noise, resets the noise of each environment whose episode just ended to 0 (as SB3 does
    /// on <c>done</c>), reading the episode ends from the rows the trainer just added to <see cref="Buffer"/>; otherwise
    /// nothing to do.
    /// </summary>
    public void OnEnvSteps(long envSteps, long totalEnvSteps)
    {
        if (_ouNoise is null || Buffer.Count == 0) return;
        var first = (Buffer.Position == 0 ? Buffer.Capacity : Buffer.Position) - NumEnvs;
        for (var i = 0; i < NumEnvs; i++)
        {
            if (Buffer.TerminatedAt(first + i) || Buffer.TruncatedAt(first + i))
                _ouNoise.AsSpan(i * _actSize, _actSize).Clear();
        }
    }

    /// <summary>
    /// One gradient step on a replay batch, in Stable-Baselines3's order: the critic, then, when
    /// <see cref="PolicyUpdateDue"/>, the actor and the target actor and critic. What differs between DDPG and TD3
    /// (the target value, the critic loss, the Q the actor climbs, the delay) comes from the algorithm's hooks.
    /// </summary>
    public UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = Batch;
        Buffer.Sample(b, SamplingRng);
        var n = b.Size;
        using var scope = Tensor.Scope();

        // 1. Critic target without gradient, from the target networks' value of s' (TargetQ):
        //      y = R + γ^k (1 − done) · Q'(s', a')
        Tensor y;
        using (Tensor.NoGrad())
        {
            var qNext = TargetQ(b);                                                                // [B, 1]
            y = b.Rewards + b.Discounts * (1f - b.Dones) * qNext;                                 // [B, 1]
        }

        // 2. Critic step on J(Q) (CriticBackward: the squared TD errors against y); q is the first critic's Q(s, a).
        CriticOptimizer.ZeroGrad();
        var (criticLossValue, q) = CriticBackward(b, y);
        var criticNorm = ClipOrNorm(CriticParams);
        NonFiniteException.ThrowIfNonFinite("train/critic_loss", criticLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", criticNorm, envSteps, gradientStep);
        CriticOptimizer.Step();

        // 3. When due: actor J(μ) = −mean(Q(s, μ(s))) with the updated critic (PolicyQ), whose weights are frozen for this
        //    pass (the gradient still flows through the critic to the action); then the targets θ' ← τθ + (1 − τ)θ' for
        //    the critic and the actor.
        if (PolicyUpdateDue(gradientStep))
        {
            SetCriticRequiresGrad(false);
            var qPi = PolicyQ(b.Obs, Actor.Forward(b.Obs));
            try { ActorStep(qPi, envSteps, gradientStep); }
            finally { SetCriticRequiresGrad(true); }
            var tau = (float)_settings.Tau;
            CriticTarget.SoftUpdate(Critic, tau);
            ActorTarget.SoftUpdate(Actor, tau);
        }

        // Metrics.
        var qData = q.Data;
        var yData = y.Data;
        double qSum = 0, tdSum = 0;
        for (var i = 0; i < n; i++)
        {
            qSum += qData[i];
            tdSum += Math.Abs(qData[i] - yData[i]);
        }
        CriticMetrics.Add(criticLossValue, qSum / n, tdSum / n, criticNorm);
        return new UpdateStats(criticLossValue, criticNorm);
    }

    /// <summary>The target networks' value Q'(s', a') of the batch's next states, <c>[B, 1]</c> (called without gradient).</summary>
    private protected abstract Tensor TargetQ(ReplayBatch batch);

    /// <summary>
    /// Adds the gradient of the critic loss J(Q) against the targets <paramref name="y"/> to the critics' parameters (zeroed
    /// before the call); returns J(Q) and the (first) critic's Q(s, a) <c>[B, 1]</c> for the metrics.
    /// </summary>
    private protected abstract (double Loss, Tensor Q) CriticBackward(ReplayBatch batch, Tensor y);

    /// <summary>The critic value the actor maximises for <paramref name="actions"/> = μ(s), <c>[B, 1]</c>.</summary>
    private protected abstract Tensor PolicyQ(Tensor observations, Tensor actions);

    /// <summary>Whether the actor and the targets are updated after the critic step <paramref name="gradientStep"/>.</summary>
    private protected abstract bool PolicyUpdateDue(long gradientStep);

    /// <summary>
    /// Writes means since the last call of <c>train/loss</c> (the critic loss), the critic-step metrics, the actor-step
    /// metrics (<c>train/actor_loss</c>, <c>train/actor_grad_norm</c>) and <c>train/learning_rate</c>.
    /// </summary>
    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (CriticMetrics.Count > 0) sink.Write("train/loss", CriticMetrics.Mean(CriticMetrics.Tags[0]), envStep);
        CriticMetrics.WriteTo(sink, envStep);
        ActorMetrics.WriteTo(sink, envStep);
        sink.Write("train/learning_rate", ActorOptimizer.LearningRate, envStep);
    }

    /// <summary>Copies the actor and the critic into their targets, e.g. after their weights were replaced.</summary>
    public void SyncTargetNetworks()
    {
        ActorTarget.CopyFrom(Actor);
        CriticTarget.CopyFrom(Critic);
    }

    /// <summary>The learning rate of the actor's optimiser.</summary>
    public double LearningRate => ActorOptimizer.LearningRate;

    /// <summary>Sets the learning rate of the actor's and the critic's optimisers.</summary>
    public void SetLearningRate(double learningRate)
    {
        LearningRateCheck.ThrowIfInvalid(learningRate);
        ActorOptimizer.LearningRate = CriticOptimizer.LearningRate = learningRate;
    }

    /// <inheritdoc />
    public void SaveCheckpoint(string directory) =>
        OffPolicyCheckpoint.Save(directory, Buffer, CheckpointModules(), CheckpointOptimizers(),
            new DeterministicPolicyCheckpoint(_checkpointFormat, _explorationRng.GetState(), SamplingRng.GetState(), CriticMetrics.GetState(), ActorMetrics.GetState(),
                _ouNoise is null ? null : (float[])_ouNoise.Clone()));

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        var meta = OffPolicyCheckpoint.Load<DeterministicPolicyCheckpoint>(directory, _checkpointFormat, Buffer, CheckpointModules(), CheckpointOptimizers(), m =>
        {
            OffPolicyCheckpoint.RestoreMetrics(directory, CriticMetrics, m.Metrics);
            OffPolicyCheckpoint.RestoreMetrics(directory, ActorMetrics, m.ActorMetrics);
        });
        if (_ouNoise is not null)
        {
            if (meta.OuNoise is null || meta.OuNoise.Length != _ouNoise.Length)
                throw new InvalidDataException(
                    $"{_settings.Algorithm} checkpoint in '{directory}' holds no Ornstein–Uhlenbeck noise state of {_ouNoise.Length} floats; it was saved with other noise settings.");
            meta.OuNoise.CopyTo(_ouNoise, 0);
        }
        _explorationRng.SetState(meta.Exploration);
        SamplingRng.SetState(meta.Sampling);
    }

    private Dictionary<string, Module> CheckpointModules() => new(StringComparer.Ordinal)
    {
        ["actor"] = Actor, ["actor_target"] = ActorTarget, ["critic"] = Critic, ["critic_target"] = CriticTarget,
    };

    private (string File, Optimizer Optimizer)[] CheckpointOptimizers() =>
        [("actor_optimizer.safetensors", ActorOptimizer), ("critic_optimizer.safetensors", CriticOptimizer)];

    // Metrics: the critic-step and actor-step metric sums since the last write, by tag, so a resumed run logs the same means.
    // OuNoise: the Ornstein–Uhlenbeck state per environment and action dimension (null with Gaussian noise).
    private sealed record DeterministicPolicyCheckpoint(string Format, RngState Exploration, RngState Sampling,
        MetricAccumulatorState? Metrics, MetricAccumulatorState? ActorMetrics, float[]? OuNoise = null);

    /// <summary>Writes μ(s) in (−1, 1) for each observation row, plus clipped Gaussian noise when exploring.</summary>
    private void Policy(ReadOnlySpan<float> observations, Span<float> squashed, int rows, bool explore)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var mu = Actor.Forward(Tensor.From(observations, [rows, _obsSize])).Data;
        if (!explore)
        {
            mu.CopyTo(squashed);
            return;
        }
        if (_ouNoise is null)
        {
            // a = clip(μ(s) + σε, −1, 1), ε ~ N(0, 1): SB3's NormalActionNoise on the scaled action, then its clip.
            for (var i = 0; i < mu.Length; i++)
                squashed[i] = Math.Clamp(mu[i] + _noise * (float)_explorationRng.Normal(), -1f, 1f);
            return;
        }
        // a = clip(μ(s) + x, −1, 1) with x the Ornstein–Uhlenbeck state, advanced first as SB3's OrnsteinUhlenbeckActionNoise:
        //   x ← x + θ(0 − x)dt + σ√dt·ε,  θ = 0.15, dt = 0.01, ε ~ N(0, 1).
        const double theta = 0.15, dt = 0.01;
        var sqrtDt = Math.Sqrt(dt);
        for (var i = 0; i < mu.Length; i++)
        {
            var x = _ouNoise[i];
            x = (float)(x - theta * x * dt + _noise * sqrtDt * _explorationRng.Normal());
            _ouNoise[i] = x;
            squashed[i] = Math.Clamp(mu[i] + x, -1f, 1f);
        }
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

    /// <summary>Clips the gradients of <paramref name="parameters"/> to the params' max norm and returns their norm before clipping.</summary>
    private double ClipOrNorm(IReadOnlyList<Tensor> parameters) => GradClip.ClipGradNorm(parameters, _settings.MaxGradNorm);

    /// <summary>
    /// The actor step: J(μ) = −mean(Q(s, μ(s))) with <paramref name="q"/> the critic's value of the actor's action
    /// (built by the caller with the critic's weights frozen). Throws <see cref="NonFiniteException"/> before the step.
    /// </summary>
    private void ActorStep(Tensor q, long envSteps, long gradientStep)
    {
        var actorLoss = -q.Mean();
        ActorOptimizer.ZeroGrad();
        actorLoss.Backward();
        var actorNorm = ClipOrNorm(ActorOptimizer.Parameters);
        var actorLossValue = (double)actorLoss.Item();
        NonFiniteException.ThrowIfNonFinite("train/actor_loss", actorLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/actor_grad_norm", actorNorm, envSteps, gradientStep);
        ActorOptimizer.Step();
        ActorMetrics.Add(actorLossValue, actorNorm);
    }

    /// <summary>Freezes (false) or unfreezes (true) the critic's weights, so the actor's backward pass flows through the critic without computing its gradients.</summary>
    private void SetCriticRequiresGrad(bool value)
    {
        for (var i = 0; i < CriticParams.Count; i++) CriticParams[i].RequiresGrad = value;
    }
}
