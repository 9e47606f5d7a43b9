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
    /// <param name="createNetwork">Creates the actor-critic (separate networks) from the initialisation stream; null for the one the params describe.</param>
    /// <param name="createOptimizer">Creates the critic's optimiser from its parameters and <see cref="NaturalGradientParams.LearningRate"/>; null for Adam.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or the network does not fit.</exception>
    public TrpoAgent(Space observationSpace, Space actionSpace, TrpoParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base("TRPO", observationSpace, actionSpace, parameters, seed, createNetwork, createOptimizer, CheckpointFormat)
    {
        Params = parameters;
    }

    /// <summary>The hyperparameters.</summary>
    public TrpoParams Params { get; }

    /// <summary>The backtracking line search inside the trust region.</summary>
    protected override NaturalStep TakeStep(RolloutMinibatch minibatch, ReadOnlySpan<double> theta, ReadOnlySpan<double> direction, double xFx, double surrogate)
    {
        var p = Params;
        if (xFx <= 0) return new NaturalStep(0, 0, 0, Accepted: false); // g = 0: nothing to step along.

        // α = √(2δ / xᵀFx): the quadratic model of the KL, ½α²·xᵀFx, equals δ = max_kl.
        var alpha = Math.Sqrt(2 * p.MaxKl / xFx);
        if (!double.IsFinite(alpha)) return new NaturalStep(double.NaN, double.NaN, 0, false);

        for (var i = 0; i < p.MaxBacktracks; i++)
        {
            // θ = θ_old + α·x; accept iff L(θ) > L(θ_old) and mean KL(π_old ‖ π_θ) < max_kl.
            SetActorParameters(theta, alpha, direction);
            var kl = MeanKl(minibatch);
            var improved = Surrogate(minibatch) > surrogate;
            if (improved && kl < p.MaxKl) return new NaturalStep(alpha, kl, i, Accepted: true);
            // α ← α·backtrack_coeff.
            alpha *= p.BacktrackCoeff;
        }

        // No step satisfied both: θ ← θ_old exactly.
        RestoreActorParameters(theta);
        return new NaturalStep(0, 0, p.MaxBacktracks, Accepted: false);
    }
}
