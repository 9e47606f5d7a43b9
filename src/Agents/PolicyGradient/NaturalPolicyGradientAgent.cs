using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>
/// What NPG and TRPO share: an actor-critic with separate actor and critic networks, where the actor moves along the
/// natural gradient <c>x ≈ F⁻¹ g</c> (conjugate gradient on damped Fisher–vector products, <see cref="FisherVectorProduct"/>)
/// and the critic is fitted by Adam. Subclasses decide how far to step along x (<see cref="TakeStep"/>).
/// </summary>
/// <remarks>
/// <see cref="StochasticPolicyAgent{TNetwork}.Optimizer"/> holds the critic's parameters only (Adam with
/// <see cref="NaturalGradientParams.LearningRate"/> unless an optimiser factory is given); it is checkpointed by the base,
/// with the networks, random streams and statistics. The seed is split by <see cref="SeedStreams"/> as for every
/// policy-gradient agent.
/// </remarks>
public abstract class NaturalPolicyGradientAgent : StochasticPolicyAgent<ActorCriticNetwork>
{
    private readonly NaturalGradientParams _params;
    private readonly Tensor[] _actorParameters;
    private readonly FisherVectorProduct _fisher;
    private readonly double[] _theta;
    private readonly double[] _gradient;
    private readonly double[] _direction;
    private readonly double[] _fisherDirection;
    private readonly double[] _cgWorkspace;
    private readonly LinearOperator _fisherProduct;
    private Tensor? _fisherObservations;
    private float[] _oldOutput = [];
    private float[] _oldLogStd = [];

    /// <summary>Checks the params and spaces and builds the networks and the critic's optimiser.</summary>
    /// <param name="algorithm">The algorithm's name, for error messages.</param>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/>.</param>
    /// <param name="createNetwork">Creates the actor-critic (separate actor and critic; experiments pass what their actor and critic factories describe); null for separate [64, 64] Tanh networks with orthogonal initialisation.</param>
    /// <param name="createOptimizer">Creates the critic's optimiser from the critic's parameters and the learning rate; null for Adam.</param>
    /// <param name="checkpointFormat">The format tag of <c>agent.json</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or the network does not fit the spaces or shares a trunk.</exception>
    protected NaturalPolicyGradientAgent(string algorithm, Space observationSpace, Space actionSpace, NaturalGradientParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer, string checkpointFormat)
        : this(algorithm, observationSpace, actionSpace, Validated(parameters), seed, createNetwork, createOptimizer, checkpointFormat, new NetworkHolder(algorithm))
    {
    }

    private NaturalPolicyGradientAgent(string algorithm, Space observationSpace, Space actionSpace, NaturalGradientParams p, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer, string checkpointFormat,
        NetworkHolder holder)
        : base(algorithm, observationSpace, actionSpace, seed,
            (rng, outputs, continuous) => holder.Set(new ActorCriticNetwork(observationSpace.FlatSize, outputs, continuous, [64, 64],
                Activation.Tanh, share: false, orthoInit: true, (float)p.LogStdInit, rng)),
            createNetwork is null ? null : rng => holder.Set(createNetwork(rng)),
            _ => new Adam(holder.CriticParameters(), p.LearningRate),
            createOptimizer is null ? null : (_, lr) => createOptimizer(holder.CriticParameters(), lr),
            p.LearningRate,
            p.NormalizeObservations ? p.ObservationClip : null,
            new OnPolicyRolloutSettings(p.NumSteps, p.Gamma, p.GaeLambda, p.NormalizeRewards, p.RewardClip),
            checkpointFormat)
    {
        _params = p;
        _actorParameters = ActorParameters(Network);
        _fisher = new FisherVectorProduct(Network, _actorParameters, p.CgDamping);
        _theta = new double[_fisher.Size];
        _gradient = new double[_fisher.Size];
        _direction = new double[_fisher.Size];
        _fisherDirection = new double[_fisher.Size];
        _cgWorkspace = new double[ConjugateGradient.WorkspaceSize(_fisher.Size)];
        _fisherProduct = (v, r) => _fisher.Apply(_fisherObservations!, v, r);
    }

    private static NaturalGradientParams Validated(NaturalGradientParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return parameters;
    }

    /// <summary>The actor's parameters (every parameter but the critic's: <c>actor.*</c> and <c>log_std</c>), in flat-vector order.</summary>
    public static Tensor[] ActorParameters(ActorCriticNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.NamedParameters().Where(n => !n.Name.StartsWith("critic.", StringComparison.Ordinal)).Select(n => n.Parameter).ToArray();
    }

    /// <summary>What the last <see cref="Update"/> did.</summary>
    public NaturalGradientUpdateStats LastUpdate { get; private set; }

    /// <summary>The actor's parameters θ, in flat-vector order.</summary>
    protected IReadOnlyList<Tensor> ActorParameterList => _actorParameters;

    /// <inheritdoc />
    protected override (Tensor Output, Tensor? Values) ForwardPolicyAndValue(Tensor observations) => Network.ForwardBoth(observations);

    /// <inheritdoc />
    protected override Tensor? ForwardValue(Tensor observations) => Network.Value(observations);

    /// <summary>
    /// One update on a full rollout (Tianshou's <c>NPG.learn</c>): per pass and minibatch, one natural-gradient step of the
    /// actor (<see cref="TakeStep"/> decides its length), then <see cref="NaturalGradientParams.OptimCriticIters"/> Adam
    /// steps of the critic.
    /// </summary>
    /// <returns>The shared statistics; the detailed ones are in <see cref="LastUpdate"/>.</returns>
    /// <exception cref="NonFiniteException">A loss, gradient or step is not finite.</exception>
    public sealed override OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var p = _params;

        // The critic's learning rate is the params' (as PG and A2C set theirs every update: a checkpoint loaded into an
        // agent with new params, e.g. by an AutoRL step, carries the previous one).
        Optimizer.LearningRate = p.LearningRate;
        var minibatches = buffer.Minibatches(p.BatchSize ?? buffer.Capacity);
        double policyLossSum = 0, valueLossSum = 0, klSum = 0, stepSum = 0, gradNormSum = 0, backtrackSum = 0;
        int steps = 0, accepted = 0, criticSteps = 0;
        for (var epoch = 0; epoch < p.UpdateEpochs; epoch++)
        {
            minibatches.Shuffle(ShuffleRng);
            for (var b = 0; b < minibatches.Count; b++)
            {
                var mb = minibatches.Get(b);

                // Â = (A − mean A) / (std A + 1e-8), A = GAE(γ, λ) of the rollout.
                if (p.NormalizeAdvantage && mb.Size > 1) AdvantageNormalization.Normalize(mb.Advantages.Data);

                // θ_old and π_old(·|s) on this minibatch: the point the step starts from, and the KL's reference.
                FlatParameters.Read(_actorParameters, _theta);
                SnapshotPolicy(mb.Observations);

                // L(θ) = mean(exp(log π_θ(a|s) − log π_rollout(a|s)) · Â);  g = ∇θ L(θ_old).
                var surrogate = SurrogateAndGradient(mb);
                NonFiniteException.ThrowIfNonFinite("train/policy_loss", -surrogate, context.EnvSteps, GradientSteps);
                var gradNorm = Math.Sqrt(ConjugateGradient.Dot(_gradient, _gradient));
                NonFiniteException.ThrowIfNonFinite("train/grad_norm", gradNorm, context.EnvSteps, GradientSteps);

                // x ≈ (F + c·I)⁻¹ g by conjugate gradient; F v = Jᵀ M J v averaged over the minibatch.
                _fisherObservations = mb.Observations;
                ConjugateGradient.Solve(_fisherProduct, _gradient, _direction, p.CgIterations, _cgWorkspace);

                // xᵀ(F + c·I)x, the squared natural-gradient norm the step sizes use.
                _fisher.Apply(mb.Observations, _direction, _fisherDirection);
                _fisherObservations = null;
                var xFx = ConjugateGradient.Dot(_direction, _fisherDirection);
                NonFiniteException.ThrowIfNonFinite("train/xFx", xFx, context.EnvSteps, GradientSteps);

                // θ ← θ_old + α·x, α chosen by the algorithm (NPG: fixed; TRPO: line search under max_kl).
                var step = TakeStep(mb, _theta, _direction, xFx, surrogate);
                NonFiniteException.ThrowIfNonFinite("train/step_size", step.StepSize, context.EnvSteps, GradientSteps);
                NonFiniteException.ThrowIfNonFinite("train/kl", step.Kl, context.EnvSteps, GradientSteps);

                // Critic (Tianshou): OptimCriticIters Adam steps on L^V = mean((V_φ(s) − R)²) on this minibatch, R = A + V_rollout.
                if (p.CriticBatchSize is null)
                    for (var i = 0; i < p.OptimCriticIters; i++)
                    {
                        valueLossSum += CriticStep(mb, context);
                        criticSteps++;
                    }

                GradientSteps++;
                steps++;
                if (step.Accepted) accepted++;
                policyLossSum -= surrogate;
                klSum += step.Kl;
                stepSum += step.StepSize;
                gradNormSum += gradNorm;
                backtrackSum += step.Backtracks;
            }
        }

        // Critic (sb3-contrib): OptimCriticIters shuffled passes over the rollout in minibatches of CriticBatchSize, one Adam step each.
        if (p.CriticBatchSize is { } criticBatch)
        {
            var criticMinibatches = buffer.Minibatches(criticBatch);
            for (var epoch = 0; epoch < p.OptimCriticIters; epoch++)
            {
                criticMinibatches.Shuffle(ShuffleRng);
                for (var b = 0; b < criticMinibatches.Count; b++)
                {
                    valueLossSum += CriticStep(criticMinibatches.Get(b), context);
                    criticSteps++;
                }
            }
        }

        var m = Math.Max(steps, 1);
        LastUpdate = new NaturalGradientUpdateStats(policyLossSum / m, valueLossSum / Math.Max(criticSteps, 1), klSum / m, stepSum / m,
            gradNormSum / m, backtrackSum / m, accepted, steps);
        return new OnPolicyUpdateStats(LastUpdate.PolicyLoss, LastUpdate.GradNorm, steps);
    }

    /// <summary>One Adam step of the critic on <c>L^V = mean((V_φ(s) − R)²)</c>; returns L^V before the step.</summary>
    private double CriticStep(RolloutMinibatch mb, OnPolicyUpdateContext context)
    {
        using var scope = Tensor.Scope();
        var valueLoss = Functional.MseLoss(Network.Value(mb.Observations), mb.Returns);
        var valueLossValue = valueLoss.Item();
        NonFiniteException.ThrowIfNonFinite("train/value_loss", valueLossValue, context.EnvSteps, GradientSteps);
        Optimizer.ZeroGrad();
        valueLoss.Backward();
        Optimizer.Step();
        return valueLossValue;
    }

    /// <summary>
    /// Moves θ from <paramref name="theta"/> along <paramref name="direction"/> (x ≈ F⁻¹g) and reports the step; on return the
    /// actor holds the new θ (or <paramref name="theta"/> again when the step is rejected).
    /// </summary>
    /// <param name="minibatch">The minibatch of the step (for <see cref="Surrogate"/> and <see cref="MeanKl"/>).</param>
    /// <param name="theta">θ_old, flat.</param>
    /// <param name="direction">x, flat.</param>
    /// <param name="xFx">xᵀ(F + c·I)x.</param>
    /// <param name="surrogate">L(θ_old).</param>
    protected abstract NaturalStep TakeStep(RolloutMinibatch minibatch, double[] theta, double[] direction, double xFx, double surrogate);

    /// <summary>Sets the actor's parameters to <c>θ + α·x</c>.</summary>
    protected void SetActorParameters(ReadOnlySpan<double> theta, double alpha, ReadOnlySpan<double> direction) =>
        FlatParameters.WriteAxpy(_actorParameters, theta, alpha, direction);

    /// <summary>Restores the actor's parameters to <paramref name="theta"/> exactly (a vector read from them).</summary>
    protected void RestoreActorParameters(ReadOnlySpan<double> theta) => FlatParameters.Write(_actorParameters, theta);

    /// <summary><c>L(θ) = mean(exp(log π_θ(a|s) − log π_rollout(a|s)) · Â)</c> at the current θ, without gradient.</summary>
    protected double Surrogate(RolloutMinibatch minibatch)
    {
        ArgumentNullException.ThrowIfNull(minibatch);
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        return SurrogateTensor(minibatch).Item();
    }

    /// <summary><c>mean KL(π_old ‖ π_θ)</c> on the minibatch, π_old being the policy at the start of this step.</summary>
    protected double MeanKl(RolloutMinibatch minibatch)
    {
        ArgumentNullException.ThrowIfNull(minibatch);
        return PolicyKl.Mean(Network, minibatch.Observations, _oldOutput, _oldLogStd);
    }

    private Tensor SurrogateTensor(RolloutMinibatch mb)
    {
        var output = Network.Forward(mb.Observations);
        var (logProb, _, _) = LogProbAndEntropy(output, mb.Actions, entropyInGraph: false);
        var ratio = (logProb - mb.OldLogProbs).Exp();
        return (ratio * mb.Advantages).Mean();
    }

    private double SurrogateAndGradient(RolloutMinibatch mb)
    {
        using var scope = Tensor.Scope();
        foreach (var t in _actorParameters) t.ZeroGrad();
        var surrogate = SurrogateTensor(mb);
        var value = surrogate.Item();
        surrogate.Backward();
        FlatParameters.ReadGradients(_actorParameters, _gradient);
        foreach (var t in _actorParameters) t.ZeroGrad();
        return value;
    }

    private void SnapshotPolicy(Tensor observations)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var output = Network.Forward(observations).Data;
        if (_oldOutput.Length != output.Length) _oldOutput = new float[output.Length];
        output.CopyTo(_oldOutput);
        if (Network.LogStd is { } logStd)
        {
            if (_oldLogStd.Length != logStd.Count) _oldLogStd = new float[logStd.Count];
            logStd.Data.CopyTo(_oldLogStd);
        }
    }

    /// <summary>
    /// Writes the last update's <c>train/policy_loss</c>, <c>train/value_loss</c>, <c>train/kl</c>, <c>train/step_size</c>,
    /// <c>train/grad_norm</c> and <c>train/backtracks</c>, in that order; the trainer adds <c>train/explained_variance</c>.
    /// </summary>
    public override void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var s = LastUpdate;
        sink.Write("train/policy_loss", s.PolicyLoss, envStep);
        sink.Write("train/value_loss", s.ValueLoss, envStep);
        sink.Write("train/kl", s.Kl, envStep);
        sink.Write("train/step_size", s.StepSize, envStep);
        sink.Write("train/grad_norm", s.GradNorm, envStep);
        sink.Write("train/backtracks", s.Backtracks, envStep);
    }

    /// <summary>Lets the constructor's delegates see the network before the base constructor returns (for the critic-only optimiser).</summary>
    private sealed class NetworkHolder(string algorithm)
    {
        private ActorCriticNetwork? _network;

        public ActorCriticNetwork Set(ActorCriticNetwork network)
        {
            if (network is { IsShared: true })
                throw new ArgumentException($"{algorithm} needs separate actor and critic networks (the natural-gradient step moves the actor alone); got a shared trunk.", "createNetwork");
            _network = network;
            return network!;
        }

        public IReadOnlyList<Tensor> CriticParameters() =>
            _network!.NamedParameters().Where(n => n.Name.StartsWith("critic.", StringComparison.Ordinal)).Select(n => n.Parameter).ToArray();
    }
}
