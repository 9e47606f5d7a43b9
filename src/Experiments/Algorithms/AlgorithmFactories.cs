using Newtonsoft.Json;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Tuning;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Factories.Optim;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The algorithm part of an experiment (Tianshou's <c>AlgorithmFactory</c>): the algorithm's params, its model
/// factories and the optimiser factory, as data. Created by the builders and saved in <c>experiment.json</c>; the agent
/// and the trainer are created from it late, when a run starts and the spaces are known.
/// </summary>
public abstract record AlgorithmFactory : IValidatable
{
    /// <summary>
    /// Creates the optimisers of the networks from their parameters and the params' learning rate. Default: null, meaning
    /// each algorithm's own choice (Adam with PyTorch's defaults; PPO uses ε = <c>PpoParams.AdamEps</c>).
    /// </summary>
    public OptimizerFactory? OptimizerFactory { get; init; }

    /// <summary>The algorithm's name, e.g. "DQN".</summary>
    [JsonIgnore]
    public abstract string AlgorithmName { get; }

    /// <summary>The algorithm's default number of epochs and environment steps per epoch.</summary>
    [JsonIgnore]
    internal abstract (int NumEpochs, int EpochNumSteps) DefaultSchedule { get; }

    /// <inheritdoc />
    public virtual void Validate() => OptimizerFactory?.Validate();

    /// <summary>Throws when <paramref name="sampling"/> sets a field that does not apply to this algorithm.</summary>
    internal abstract void CheckApplicable(SamplingConfig sampling);

    /// <summary>Throws when the algorithm cannot act in these spaces (the message names the algorithm and the space).</summary>
    internal abstract void CheckSpaces(Space observationSpace, Space actionSpace, string envId);

    /// <summary>Validates the params after the sampling overrides were applied; throws naming the field.</summary>
    internal abstract void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train);

    /// <summary>Creates the agent for the run's spaces.</summary>
    internal abstract IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed);

    /// <summary>
    /// Creates the trainer for <paramref name="agent"/>, which resets the environments with <c>envs.Seeds</c>. Off-policy
    /// agents write their update metrics at most every <paramref name="metricsInterval"/> environment steps (on-policy: every rollout).
    /// </summary>
    internal abstract ITrainer CreateTrainer(IAgent agent, EnvironmentSetView envs, TrainerConfig config,
        TrainerCallbacks callbacks, IMetricsSink metrics, int metricsInterval = 1000);

    /// <summary>
    /// A copy whose params take the hyperparameters of <paramref name="configuration"/> (a configuration of the
    /// algorithm's HPO space, e.g. a study's best; keys it lacks keep the current params). Throws naming a key or value
    /// the params cannot express.
    /// </summary>
    public abstract AlgorithmFactory WithConfiguration(Configuration configuration);

    /// <summary>Fills in the algorithm's defaults.</summary>
    internal ResolvedSampling Resolve(SamplingConfig sampling)
    {
        var (epochs, steps) = DefaultSchedule;
        var episodes = sampling.NumTestEpisodes ?? 10;
        return new ResolvedSampling(
            sampling.NumEpochs ?? epochs,
            sampling.EpochNumSteps ?? steps,
            sampling.NumTrainEnvs ?? 1,
            episodes > 0 ? sampling.NumTestEnvs ?? 1 : 0,
            episodes);
    }

    /// <summary>The optimiser factory as the agents take it, or null.</summary>
    private protected Func<IReadOnlyList<Tensor>, double, Optimizer>? OptimizerDelegate =>
        OptimizerFactory is null ? null : (parameters, lr) => OptimizerFactory.Create(parameters, lr);

    private protected static void Reject(string algorithm, string field, object? value, string why) =>
        throw new ArgumentException(
            $"SamplingConfig.{field} = {Format(value)} does not apply to {algorithm} ({why}); allowed: null.", field);

    private protected static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    /// <summary>Runs a params record's own validation and rethrows with the record's name in front of the field.</summary>
    private protected static void ValidateParams(string owner, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
            if (!message.StartsWith(owner + ".", StringComparison.Ordinal))
                message = $"{owner}.{ex.ParamName}: {message}";
            throw new ArgumentException(message, ex.ParamName, ex);
        }
    }

    private protected static (int TrainFreq, int? GradientSteps) OffPolicyCollect(SamplingConfig s, int trainFreq, int numTrainEnvs)
    {
        var freq = s.StepPerCollect is { } sp ? sp / numTrainEnvs : trainFreq;
        int? gradientSteps = s.UpdatePerStep is { } u ? (int)Math.Round(u * freq * numTrainEnvs, MidpointRounding.AwayFromZero) : null;
        return (freq, gradientSteps);
    }

    private protected static void CheckOffPolicyBudget(string owner, int learningStarts, int batchSize, int bufferSize, ResolvedSampling r, bool train)
    {
        if (batchSize > bufferSize)
            throw new ArgumentException($"{owner}.BatchSize = {batchSize} is invalid with BufferSize = {bufferSize}; allowed: at most the buffer size.", "BatchSize");
        if (bufferSize < r.NumTrainEnvs)
            throw new ArgumentException($"{owner}.BufferSize = {bufferSize} is invalid with NumTrainEnvs = {r.NumTrainEnvs}; allowed: at least the number of training environments.", "BufferSize");
        if (train && learningStarts >= r.TotalSteps)
            throw new ArgumentException(
                $"{owner}.LearningStarts = {learningStarts} is invalid: the run has only {r.TotalSteps} environment steps (NumEpochs {r.NumEpochs} × EpochNumSteps {r.EpochNumSteps}), so it would never learn; allowed: fewer than {r.TotalSteps} (set SamplingConfig.StartTimesteps).",
                "LearningStarts");
    }
}

/// <summary>
/// The off-policy algorithms' shared part (DQN, SAC; Tianshou's <c>OffPolicyAlgorithmFactory</c>): the sampling settings
/// they reject and the trainer that drives them (<see cref="OffPolicyTrainer"/>).
/// </summary>
public abstract record OffPolicyAlgorithmFactory : AlgorithmFactory
{
    internal override void CheckApplicable(SamplingConfig s)
    {
        if (s.RepeatPerCollect is not null) Reject(AlgorithmName, nameof(s.RepeatPerCollect), s.RepeatPerCollect, "it is the number of passes over an on-policy rollout");
        if (s.EpisodePerCollect is not null) Reject(AlgorithmName, nameof(s.EpisodePerCollect), s.EpisodePerCollect, "the trainers collect by environment steps; use StepPerCollect");
        if (s.StartTimestepsRandom == false)
            throw new ArgumentException(
                $"SamplingConfig.{nameof(s.StartTimestepsRandom)} = false is not supported by {AlgorithmName}: the off-policy trainer fills the first StartTimesteps steps with uniform random actions; allowed: true or null.",
                nameof(s.StartTimestepsRandom));
    }

    internal override ITrainer CreateTrainer(IAgent agent, EnvironmentSetView envs, TrainerConfig config,
        TrainerCallbacks callbacks, IMetricsSink metrics, int metricsInterval = 1000) =>
        new OffPolicyTrainer((IOffPolicyAgent)agent, envs.Train, envs.Test, config, envs.Seeds, callbacks, metrics, metricsInterval);
}

/// <summary>Deep Q-learning (<see cref="DqnAgent"/>) with an optional Q-network factory.</summary>
public sealed record DQNAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>DQN's hyperparameters. Default: Stable-Baselines3's DQN defaults (ε 1 → 0.05, target network every 10,000 steps, 1,000,000-transition buffer).</summary>
    public DqnParams Params { get; init; } = new();

    /// <summary>
    /// Creates the Q-network. Default: null, meaning the network described by <see cref="DqnParams.HiddenSizes"/>,
    /// <see cref="DqnParams.Activation"/> and <see cref="DqnParams.Dueling"/>.
    /// </summary>
    public QNetworkFactory? ModelFactory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => "DQN";

    internal override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Params is null) throw new ArgumentException($"{nameof(DQNAlgorithmFactory)}.{nameof(Params)} = null is invalid; allowed: a DqnParams.", nameof(Params));
        ValidateParams(nameof(DqnParams), Params.Validate);
        ModelFactory?.Validate();
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration) =>
        this with { Params = DqnConfigurationMapping.ToParams(configuration, Params) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public DqnParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var p = Params;
        if (sampling.BatchSize is { } b) p = p with { BatchSize = b };
        if (sampling.BufferSize is { } bs) p = p with { BufferSize = bs };
        if (sampling.StartTimesteps is { } st) p = p with { LearningStarts = st };
        var (freq, gradientSteps) = OffPolicyCollect(sampling, p.TrainFreq, numTrainEnvs);
        p = p with { TrainFreq = freq };
        if (gradientSteps is { } g) p = p with { GradientSteps = g };
        return p;
    }

    internal override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Discrete)
            throw new ArgumentException($"DQN needs a Discrete action space, but {envId} has {actionSpace}; use SAC (SACExperimentBuilder) or PPO for continuous actions.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"DQN needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    internal override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(DqnParams), p.Validate);
        CheckOffPolicyBudget(nameof(DqnParams), p.LearningStarts, p.BatchSize, p.BufferSize, resolved, train);
    }

    internal override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        var factory = ModelFactory;
        return new DqnAgent(observationSpace, actionSpace, EffectiveParams(sampling, resolved.NumTrainEnvs), seed, resolved.NumTrainEnvs,
            factory is null ? null : rng => factory.Create(observationSpace, actionSpace, rng), OptimizerDelegate);
    }
}

/// <summary>Proximal policy optimisation (<see cref="PpoAgent"/>) with optional actor and critic factories.</summary>
public sealed record PPOAlgorithmFactory : AlgorithmFactory
{
    /// <summary>PPO's hyperparameters. Default: Stable-Baselines3's PPO defaults.</summary>
    public PpoParams Params { get; init; } = new();

    /// <summary>
    /// Creates the actor (categorical logits or Gaussian mean). Default: null, meaning an MLP described by
    /// <see cref="PpoParams.HiddenSizes"/>, <see cref="PpoParams.Activation"/> and <see cref="PpoParams.OrthoInit"/>.
    /// </summary>
    public ActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the critic V(s). Default: null, meaning an MLP described by the params (as the actor). Must be null with <see cref="CriticUseActor"/>.</summary>
    public CriticFactory? CriticFactory { get; init; }

    /// <summary>
    /// Whether the critic shares the actor's hidden layers (one trunk, two heads; Tianshou's
    /// <c>with_critic_factory_use_actor</c>). Default: false. Allowed: true only with no <see cref="CriticFactory"/> and
    /// with no actor factory or an <see cref="ActorFactoryDefault"/> (whose layers form the trunk).
    /// </summary>
    public bool CriticUseActor { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => "PPO";

    internal override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Params is null) throw new ArgumentException($"{nameof(PPOAlgorithmFactory)}.{nameof(Params)} = null is invalid; allowed: a PpoParams.", nameof(Params));
        ValidateParams(nameof(PpoParams), Params.Validate);
        ActorFactory?.Validate();
        CriticFactory?.Validate();
        if (CriticUseActor && CriticFactory is not null)
            throw new ArgumentException($"{nameof(PPOAlgorithmFactory)}.{nameof(CriticUseActor)} = true is invalid with a {nameof(CriticFactory)} ({CriticFactory.GetType().Name}); allowed: one of the two.", nameof(CriticUseActor));
        if (CriticUseActor && ActorFactory is not null and not ActorFactoryDefault)
            throw new ArgumentException($"{nameof(PPOAlgorithmFactory)}.{nameof(CriticUseActor)} = true is invalid with the actor factory {ActorFactory.GetType().Name}; allowed: with no actor factory or an ActorFactoryDefault, whose hidden layers become the shared trunk.", nameof(CriticUseActor));
        if (CriticUseActor && ActorFactory is ActorFactoryDefault { HiddenSizes.Count: 0 })
            throw new ArgumentException($"{nameof(PPOAlgorithmFactory)}.{nameof(CriticUseActor)} = true needs at least one hidden layer to share; ActorFactoryDefault.HiddenSizes is empty.", nameof(CriticUseActor));
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration) =>
        this with { Params = PpoConfigurationMapping.ToParams(configuration, Params) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public PpoParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var p = Params;
        if (sampling.BatchSize is { } b) p = p with { BatchSize = b };
        if (sampling.StepPerCollect is { } sp) p = p with { NumSteps = sp / numTrainEnvs };
        if (sampling.RepeatPerCollect is { } r) p = p with { NumEpochs = r };
        if (CriticUseActor && ActorFactory is null) p = p with { ShareNetwork = true };
        return p;
    }

    internal override void CheckApplicable(SamplingConfig s)
    {
        const string why = "PPO is on-policy: it trains on each fresh rollout and keeps no replay buffer";
        if (s.BufferSize is not null) Reject(AlgorithmName, nameof(s.BufferSize), s.BufferSize, why + "; the rollout holds StepPerCollect steps");
        if (s.UpdatePerStep is not null) Reject(AlgorithmName, nameof(s.UpdatePerStep), s.UpdatePerStep, "on-policy updates are set by RepeatPerCollect and BatchSize");
        if (s.StartTimesteps is not null) Reject(AlgorithmName, nameof(s.StartTimesteps), s.StartTimesteps, why);
        if (s.StartTimestepsRandom is not null) Reject(AlgorithmName, nameof(s.StartTimestepsRandom), s.StartTimestepsRandom, why);
        if (s.EpisodePerCollect is not null) Reject(AlgorithmName, nameof(s.EpisodePerCollect), s.EpisodePerCollect, "the trainers collect by environment steps; use StepPerCollect");
    }

    internal override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not (Discrete or Box))
            throw new ArgumentException($"PPO supports Discrete and Box action spaces, but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"PPO needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    internal override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train) =>
        ValidateParams(nameof(PpoParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);

    internal override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var obsSize = observationSpace.FlatSize;
        var continuous = actionSpace is Box;
        var outputs = actionSpace is Discrete d ? d.N : actionSpace.FlatSize;
        Func<Rng, ActorCriticNetwork>? network = null;
        if (CriticUseActor && ActorFactory is ActorFactoryDefault shared)
        {
            network = rng => new ActorCriticNetwork(obsSize, outputs, continuous, shared.HiddenSizes, shared.Activation,
                share: true, shared.OrthoInit, (float)p.LogStdInit, rng);
        }
        else if (!CriticUseActor && (ActorFactory is not null || CriticFactory is not null))
        {
            var actor = ActorFactory ?? new ActorFactoryDefault { HiddenSizes = p.HiddenSizes, Activation = p.Activation, OrthoInit = p.OrthoInit };
            var critic = CriticFactory ?? new CriticFactoryDefault { HiddenSizes = p.HiddenSizes, Activation = p.Activation, OrthoInit = p.OrthoInit };
            network = rng => new ActorCriticNetwork(
                actor.Create(observationSpace, actionSpace, rng), critic.Create(observationSpace, actionSpace, useAction: false, rng),
                obsSize, outputs, continuous, (float)p.LogStdInit);
        }
        return new PpoAgent(observationSpace, actionSpace, p, seed, network, OptimizerDelegate);
    }

    internal override ITrainer CreateTrainer(IAgent agent, EnvironmentSetView envs, TrainerConfig config,
        TrainerCallbacks callbacks, IMetricsSink metrics, int metricsInterval = 1000) =>
        new OnPolicyTrainer((IOnPolicyAlgorithm)agent, envs.Train, envs.Test, config, envs.Seeds, callbacks, metrics);
}

/// <summary>Soft actor-critic (<see cref="SacAgent"/>) with optional actor and critic factories.</summary>
public sealed record SACAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>SAC's hyperparameters. Default: Stable-Baselines3's SAC defaults.</summary>
    public SacParams Params { get; init; } = new();

    /// <summary>
    /// Creates the tanh-Gaussian actor. Default: null, meaning the actor described by <see cref="SacParams.HiddenSizes"/>,
    /// <see cref="SacParams.Activation"/>, <see cref="SacParams.LogStdMin"/> and <see cref="SacParams.LogStdMax"/>.
    /// </summary>
    public TanhGaussianActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the first critic Q₁(s, a). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? Critic1Factory { get; init; }

    /// <summary>Creates the second critic Q₂(s, a). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? Critic2Factory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => "SAC";

    internal override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 5_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Params is null) throw new ArgumentException($"{nameof(SACAlgorithmFactory)}.{nameof(Params)} = null is invalid; allowed: a SacParams.", nameof(Params));
        ValidateParams(nameof(SacParams), Params.Validate);
        ActorFactory?.Validate();
        Critic1Factory?.Validate();
        Critic2Factory?.Validate();
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration) =>
        this with { Params = SacConfigurationMapping.ToParams(configuration, Params) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public SacParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var p = Params;
        if (sampling.BatchSize is { } b) p = p with { BatchSize = b };
        if (sampling.BufferSize is { } bs) p = p with { BufferSize = bs };
        if (sampling.StartTimesteps is { } st) p = p with { LearningStarts = st };
        var (freq, gradientSteps) = OffPolicyCollect(sampling, p.TrainFreq, numTrainEnvs);
        p = p with { TrainFreq = freq };
        if (gradientSteps is { } g) p = p with { GradientSteps = g };
        return p;
    }

    internal override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Box box)
            throw new ArgumentException($"SAC needs a continuous (Box) action space, but {envId} has {actionSpace}; use DQN (DQNExperimentBuilder) or PPO for discrete actions.", "envFactory");
        if (!box.IsBounded)
            throw new ArgumentException($"SAC needs a bounded Box action space (it squashes actions with tanh), but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"SAC needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    internal override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(SacParams), p.Validate);
        CheckOffPolicyBudget(nameof(SacParams), p.LearningStarts, p.BatchSize, p.BufferSize, resolved, train);
    }

    internal override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var actor = ActorFactory;
        Func<Rng, TwinQCritic>? critic = null;
        if (Critic1Factory is not null || Critic2Factory is not null)
        {
            var fallback = new CriticFactoryDefault { HiddenSizes = p.HiddenSizes, Activation = p.Activation };
            var c1 = Critic1Factory ?? fallback;
            var c2 = Critic2Factory ?? fallback;
            critic = rng => new TwinQCritic(
                c1.Create(observationSpace, actionSpace, useAction: true, rng), c2.Create(observationSpace, actionSpace, useAction: true, rng),
                observationSpace.FlatSize, actionSpace.FlatSize);
        }
        return new SacAgent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs,
            actor is null ? null : rng => actor.Create(observationSpace, actionSpace, rng), critic, OptimizerDelegate);
    }
}

/// <summary>The environments a trainer uses and their seeds.</summary>
internal sealed record EnvironmentSetView(RlExperiments.Environments.Vector.VectorEnv Train, RlExperiments.Environments.Vector.VectorEnv? Test, RlExperiments.Core.EnvSeeds Seeds);
