using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Td3;

/// <summary>
/// Twin Delayed DDPG (Fujimoto et al. 2018) with Stable-Baselines3's semantics: a deterministic tanh actor μ(s), twin
/// critics with clipped double-Q targets, target policy smoothing (clipped Gaussian noise on the target action), and
/// actor and target updates every <see cref="Td3Params.UpdateActorFreq"/> critic steps. Actions are stored in the
/// replay buffer in (−1, 1) and rescaled linearly to the Box's bounds for the environment, so all noise scales are
/// relative to the Box's half-range.
/// </summary>
/// <remarks>The update (<see cref="DeterministicPolicyAgent{TCritic}.Update"/>) follows SB3's order: critics, then
/// (delayed) actor and targets. Acting and updating allocate nothing in steady state.</remarks>
public sealed class Td3Agent : DeterministicPolicyAgent<TwinQCritic>
{
    private const string CheckpointFormat = "rlexperiments.td3-checkpoint/1";

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A bounded <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step (the replay buffer's row layout).</param>
    /// <param name="createActor">Creates the actor (called twice, for the actor and its target, with the initialisation stream); null for a [400, 300] ReLU MLP (Stable-Baselines3's for DDPG and TD3).</param>
    /// <param name="createCritic">Creates the twin critics (called twice, for the critics and their targets); null for [400, 300] ReLU MLPs.</param>
    /// <param name="createOptimizer">Creates the actor's and the critics' optimisers from their parameters and <see cref="Td3Params.LearningRate"/>; null for Adam with PyTorch's defaults.</param>
    /// <exception cref="ArgumentException">The action space is not a bounded Box or the observation space not a Box, or an injected network does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public Td3Agent(Space observationSpace, Space actionSpace, Td3Params parameters, int seed, int numEnvs = 1,
        Func<Rng, DeterministicActor>? createActor = null, Func<Rng, TwinQCritic>? createCritic = null,
        Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base(observationSpace, actionSpace, Settings(parameters), seed, numEnvs,
            createActor ?? (rng => new DeterministicActor(observationSpace.FlatSize, [400, 300], actionSpace.FlatSize, Activation.ReLU, rng)),
            createCritic ?? (rng => new TwinQCritic(observationSpace.FlatSize, actionSpace.FlatSize, [400, 300], Activation.ReLU, rng)),
            createOptimizer, CheckpointFormat, ["train/critic_loss", "train/q_mean", "train/td_error", "train/grad_norm"])
    {
        Params = parameters;
        _criticPasses = new TwinCriticPasses(Critic, CriticTarget, parameters.BatchSize, lossScale: 1f);
    }

    // The two critics' target and training passes, one per core.
    private readonly TwinCriticPasses _criticPasses;

    /// <summary>The hyperparameters.</summary>
    public Td3Params Params { get; }

    private static DeterministicPolicySettings Settings(Td3Params parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return new("TD3", parameters.LearningRate, parameters.BufferSize, parameters.LearningStarts, parameters.BatchSize,
            parameters.Gamma, parameters.Tau, parameters.NStep, parameters.TrainFreq, parameters.GradientSteps, parameters.ExplorationNoise, parameters.NoiseType, parameters.MaxGradNorm);
    }

    // The update (DeterministicPolicyAgent.Update) with TD3's parts: twin critics, target policy smoothing, clipped
    // double-Q and the delayed actor.

    /// <summary>
    /// Target policy smoothing and clipped double-Q:
    ///   ε ~ clip(N(0, σ̃²), −c, c),  a' = clip(μ'(s') + ε, −1, 1),  min(Q₁'(s', a'), Q₂'(s', a')).
    /// </summary>
    private protected override Tensor TargetQ(ReplayBatch batch)
    {
        var smoothing = (Tensor.Randn([batch.Size, batch.ActionSize], SamplingRng) * (float)Params.PolicyNoise)
            .Clamp(-(float)Params.NoiseClip, (float)Params.NoiseClip);
        var nextAction = (ActorTarget.Forward(batch.NextObs) + smoothing).Clamp(-1f, 1f);        // [B, act]
        _criticPasses.Target(batch.NextObs, nextAction);                                         // Q₁', Q₂' on two cores
        return _criticPasses.Q1.Minimum(_criticPasses.Q2);                                        // [B, 1]
    }

    /// <summary>J(Q) = Σⱼ mean((Qⱼ(s, a) − y)²), each critic's pass on its own core; the metrics follow Q₁.</summary>
    private protected override (double Loss, Tensor Q) CriticBackward(ReplayBatch batch, Tensor y)
    {
        _criticPasses.Train(batch.Obs, batch.Actions, y);
        return (_criticPasses.MeanSquaredError1 + _criticPasses.MeanSquaredError2, _criticPasses.Q1);
    }

    /// <summary>Q₁(s, μ(s)): the actor climbs the first critic only.</summary>
    private protected override Tensor PolicyQ(Tensor observations, Tensor actions) => Critic.Q1(observations, actions);

    /// <summary>Delayed policy update: every <see cref="Td3Params.UpdateActorFreq"/> critic steps.</summary>
    private protected override bool PolicyUpdateDue(long gradientStep) => gradientStep % Params.UpdateActorFreq == 0;
}
