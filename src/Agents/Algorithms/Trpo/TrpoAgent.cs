using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Trpo;

/// <summary>
/// Trust region policy optimisation (TRPO; Tianshou's <c>TRPO</c>): NPG's direction <c>x ≈ (F + c·I)⁻¹g</c>, scaled to the
/// trust region, <c>α = √(2·max_kl / xᵀFx)</c>, then a backtracking line search (α ← α·backtrack_coeff, at most
/// max_backtracks tries) that accepts the first step whose surrogate improves and whose mean KL stays below max_kl, and
/// otherwise restores θ exactly. The critic is fitted as in NPG. Discrete (categorical) and Box (diagonal Gaussian) actions.
/// </summary>
public sealed class TrpoAgent : NaturalPolicyGradientAgent
{
    private const string CheckpointFormat = "rlexperiments.trpo-checkpoint/1";

    /// <summary>Builds the agent for the given spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/>.</param>
    /// <param name="createNetwork">Creates the actor-critic (separate networks) from the initialisation stream (experiments pass what their actor and critic factories describe); null for separate [64, 64] Tanh networks with orthogonal initialisation.</param>
    /// <param name="createOptimizer">Creates the critic's optimiser from its parameters and <see cref="NaturalGradientParams.LearningRate"/>; null for Adam.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or the network does not fit.</exception>
    public TrpoAgent(Space observationSpace, Space actionSpace, TrpoParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base("TRPO", observationSpace, actionSpace, parameters, seed, createNetwork, createOptimizer, CheckpointFormat)
    {
        Params = parameters;
        _tryStep = alpha =>
        {
            SetActorParameters(_theta, alpha, _direction);
            return (Surrogate(_minibatch!), MeanKl(_minibatch!));
        };
        _restore = () => RestoreActorParameters(_theta);
    }

    // The line search's delegates are made once; TakeStep points them at its arguments (no allocation per update).
    private readonly Func<double, (double Surrogate, double Kl)> _tryStep;
    private readonly Action _restore;
    private RolloutMinibatch? _minibatch;
    private double[] _theta = [];
    private double[] _direction = [];

    /// <summary>The hyperparameters.</summary>
    public TrpoParams Params { get; }

    /// <summary>The backtracking line search inside the trust region (<see cref="TrustRegionLineSearch.Search"/>).</summary>
    protected override NaturalStep TakeStep(RolloutMinibatch minibatch, double[] theta, double[] direction, double xFx, double surrogate)
    {
        var p = Params;
        (_minibatch, _theta, _direction) = (minibatch, theta, direction);
        try
        {
            return TrustRegionLineSearch.Search(_tryStep, _restore, xFx, surrogate, p.MaxKl, p.BacktrackCoeff, p.MaxBacktracks);
        }
        finally
        {
            _minibatch = null;
        }
    }
}
