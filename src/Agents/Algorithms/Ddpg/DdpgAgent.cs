using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Ddpg;

/// <summary>
/// Deep Deterministic Policy Gradient (Lillicrap et al. 2016) with Stable-Baselines3's semantics: a deterministic tanh
/// actor μ(s), one critic Q(s, a), Polyak-averaged targets of both, and Gaussian exploration noise on the action in
/// (−1, 1). Actions are stored in the replay buffer in (−1, 1) and rescaled linearly to the Box's bounds for the environment.
/// </summary>
/// <remarks>The update (<see cref="DeterministicPolicyAgent{TCritic}.Update"/>) follows SB3's order: critic, actor,
/// targets. Acting and updating allocate nothing in steady state.</remarks>
public sealed class DdpgAgent : DeterministicPolicyAgent<QCritic>
{
    private const string CheckpointFormat = "rlexperiments.ddpg-checkpoint/1";

    /// <summary>Builds the agent for one environment's spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A bounded <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="numEnvs">Training environments per vector step (the replay buffer's row layout).</param>
    /// <param name="createActor">Creates the actor (called twice, for the actor and its target, with the initialisation stream); null for a [400, 300] ReLU MLP (Stable-Baselines3's for DDPG and TD3).</param>
    /// <param name="createCritic">Creates the critic (called twice, for the critic and its target); null for a [400, 300] ReLU MLP.</param>
    /// <param name="createOptimizer">Creates the actor's and the critic's optimisers from their parameters and <see cref="DdpgParams.LearningRate"/>; null for Adam with PyTorch's defaults.</param>
    /// <exception cref="ArgumentException">The action space is not a bounded Box or the observation space not a Box, or an injected network does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public DdpgAgent(Space observationSpace, Space actionSpace, DdpgParams parameters, int seed, int numEnvs = 1,
        Func<Rng, DeterministicActor>? createActor = null, Func<Rng, QCritic>? createCritic = null,
        Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base(observationSpace, actionSpace, Settings(parameters), seed, numEnvs,
            createActor ?? (rng => new DeterministicActor(observationSpace.FlatSize, [400, 300], actionSpace.FlatSize, Activation.ReLU, rng)),
            createCritic ?? (rng => new QCritic(observationSpace.FlatSize, actionSpace.FlatSize, [400, 300], Activation.ReLU, rng)),
            createOptimizer, CheckpointFormat, ["train/critic_loss", "train/q_mean", "train/td_error", "train/grad_norm"])
    {
        Params = parameters;
    }

    /// <summary>The hyperparameters.</summary>
    public DdpgParams Params { get; }

    private static DeterministicPolicySettings Settings(DdpgParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return new("DDPG", parameters.LearningRate, parameters.BufferSize, parameters.LearningStarts, parameters.BatchSize,
            parameters.Gamma, parameters.Tau, parameters.NStep, parameters.TrainFreq, parameters.GradientSteps, parameters.ExplorationNoise, parameters.NoiseType, parameters.MaxGradNorm);
    }

    // The update (DeterministicPolicyAgent.Update) with DDPG's parts: one critic, no target smoothing, the actor every step.

    /// <summary>Q'(s', μ'(s')): the target critic at the target actor's action.</summary>
    private protected override Tensor TargetQ(ReplayBatch batch) =>
        CriticTarget.Forward(batch.NextObs, ActorTarget.Forward(batch.NextObs));                    // [B, 1]

    /// <summary>J(Q) = mean((Q(s, a) − y)²).</summary>
    private protected override (double Loss, Tensor Q) CriticBackward(ReplayBatch batch, Tensor y)
    {
        var q = Critic.Forward(batch.Obs, batch.Actions);
        var loss = Functional.MseLoss(q, y);
        loss.Backward();
        return (loss.Item(), q);
    }

    /// <summary>Q(s, μ(s)).</summary>
    private protected override Tensor PolicyQ(Tensor observations, Tensor actions) => Critic.Forward(observations, actions);

    /// <summary>Every critic step.</summary>
    private protected override bool PolicyUpdateDue(long gradientStep) => true;
}
