using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Npg;

/// <summary>
/// The natural policy gradient (NPG; Tianshou's <c>NPG</c>): after every rollout, per minibatch, the actor moves by
/// <c>θ ← θ + η·x</c> with <c>x ≈ (F + c·I)⁻¹ ∇θ mean(ratio·Â)</c> from conjugate gradient on Fisher–vector products, and
/// the critic takes <see cref="NaturalGradientParams.OptimCriticIters"/> Adam steps on <c>mean((V − R)²)</c>. η is
/// <see cref="NpgParams.TrustRegionSize"/> with Tianshou's semantics (a fixed multiple of x, not <c>√(2δ / xᵀFx)</c>).
/// A categorical policy for <see cref="Discrete"/> actions, a diagonal Gaussian with state-independent log-std for
/// <see cref="Box"/> actions. Train it with <see cref="OnPolicyTrainer"/>.
/// </summary>
public sealed class NpgAgent : NaturalPolicyGradientAgent
{
    private const string CheckpointFormat = "rlexperiments.npg-checkpoint/1";

    /// <summary>Builds the agent for the given spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/>.</param>
    /// <param name="createNetwork">Creates the actor-critic (separate networks) from the initialisation stream (experiments pass what their actor and critic factories describe); null for separate [64, 64] Tanh networks with orthogonal initialisation.</param>
    /// <param name="createOptimizer">Creates the critic's optimiser from its parameters and <see cref="NaturalGradientParams.LearningRate"/>; null for Adam.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or the network does not fit.</exception>
    public NpgAgent(Space observationSpace, Space actionSpace, NpgParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base("NPG", observationSpace, actionSpace, parameters, seed, createNetwork, createOptimizer, CheckpointFormat)
    {
        Params = parameters;
    }

    /// <summary>The hyperparameters.</summary>
    public NpgParams Params { get; }

    /// <summary>θ ← θ_old + η·x, η = <see cref="NpgParams.TrustRegionSize"/>; always accepted.</summary>
    protected override NaturalStep TakeStep(RolloutMinibatch minibatch, double[] theta, double[] direction, double xFx, double surrogate)
    {
        var eta = Params.TrustRegionSize;
        SetActorParameters(theta, eta, direction);
        return new NaturalStep(eta, MeanKl(minibatch), 0, Accepted: true);
    }
}
