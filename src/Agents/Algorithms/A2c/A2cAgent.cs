using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.A2c;

/// <summary>
/// Synchronous advantage actor-critic (A2C; Stable-Baselines3's <c>A2C</c>, Tianshou's <c>A2C</c>): after every rollout
/// one gradient step (by default) on <c>L = −mean(log π·A) + c_vf·mean((R − V)²) − c_ent·H</c> with GAE advantages,
/// gradient-norm clipping, and RMSprop (α 0.99, ε 1e-5) unless another optimiser is given. A categorical policy for
/// <see cref="Discrete"/> actions, a diagonal Gaussian with state-independent log-std for <see cref="Box"/> actions.
/// Train it with <see cref="OnPolicyTrainer"/>.
/// </summary>
/// <remarks>
/// The seed is split by <see cref="SeedStreams"/> as for every policy-gradient agent
/// (<see cref="StochasticPolicyAgent{TNetwork}"/>). Acting and updating allocate nothing in steady state.
/// </remarks>
public sealed class A2cAgent : StochasticPolicyAgent<ActorCriticNetwork>
{
    private const string CheckpointFormat = "rlexperiments.a2c-checkpoint/1";

    /// <summary>Builds the agent for the given spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/>.</param>
    /// <param name="createNetwork">Creates the actor-critic from the initialisation stream (experiments pass what their actor and critic factories describe); null for Stable-Baselines3's <c>MlpPolicy</c> (separate [64, 64] Tanh actor and critic, orthogonal initialisation).</param>
    /// <param name="createOptimizer">
    /// Creates the optimiser from the parameters and <see cref="A2cParams.LearningRate"/>; null for RMSprop (or Adam, see
    /// <see cref="A2cParams.UseRmsProp"/>) with ε = <see cref="A2cParams.OptimizerEps"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or an injected network does not fit the spaces.</exception>
    public A2cAgent(Space observationSpace, Space actionSpace, A2cParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base("A2C", observationSpace, actionSpace, seed,
            (rng, outputs, continuous) => new ActorCriticNetwork(observationSpace.FlatSize, outputs, continuous, [64, 64],
                Activation.Tanh, share: false, orthoInit: true, (float)parameters.LogStdInit, rng),
            createNetwork,
            ps => parameters.UseRmsProp
                ? new RmsProp(ps, parameters.LearningRate, alpha: parameters.RmsPropAlpha, eps: parameters.OptimizerEps)
                : new Adam(ps, parameters.LearningRate, eps: parameters.OptimizerEps),
            createOptimizer,
            Validated(parameters).LearningRate,
            parameters.NormalizeObservations ? parameters.ObservationClip : null,
            new OnPolicyRolloutSettings(parameters.NumSteps, parameters.Gamma, parameters.GaeLambda, parameters.NormalizeRewards, parameters.RewardClip),
            CheckpointFormat)
    {
        Params = parameters;
    }

    private static A2cParams Validated(A2cParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return parameters;
    }

    /// <summary>The hyperparameters.</summary>
    public A2cParams Params { get; }

    /// <summary>The detailed statistics of the last <see cref="Update"/> (default before the first).</summary>
    public A2cUpdateStats LastUpdate { get; private set; }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor? Values) ForwardPolicyAndValue(Tensor observations) => Network.ForwardBoth(observations);

    /// <inheritdoc />
    protected override Tensor? ForwardValue(Tensor observations) => Network.Value(observations);

    /// <summary>
    /// The A2C update on a full rollout (Stable-Baselines3's <c>A2C.train</c>): by default one gradient step on the whole
    /// rollout; with <see cref="A2cParams.BatchSize"/> or <see cref="A2cParams.UpdateEpochs"/> set, passes over shuffled minibatches.
    /// </summary>
    /// <returns>The shared statistics; the detailed ones are in <see cref="LastUpdate"/>.</returns>
    public override OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var p = Params;

        // lr_k = lr · progress_remaining when annealed (SB3's linear schedule), else lr.
        var learningRate = p.AnnealLearningRate ? p.LearningRate * context.ProgressRemaining : p.LearningRate;
        Optimizer.LearningRate = learningRate;

        var minibatches = buffer.Minibatches(p.BatchSize ?? buffer.Capacity);
        double lossSum = 0, policyLossSum = 0, valueLossSum = 0, entropySum = 0, gradNormSum = 0;
        var steps = 0;
        for (var epoch = 0; epoch < p.UpdateEpochs; epoch++)
        {
            minibatches.Shuffle(ShuffleRng);
            for (var b = 0; b < minibatches.Count; b++)
            {
                var mb = minibatches.Get(b);

                // A = GAE(γ, λ) from the rollout, optionally Â = (A − mean A) / (std A + 1e-8).
                if (p.NormalizeAdvantage && mb.Size > 1) AdvantageNormalization.Normalize(mb.Advantages.Data);

                using var scope = Tensor.Scope();

                // log π_θ(a|s), H[π] and V_θ(s) of the stored observations and actions.
                var (output, values) = Network.ForwardBoth(mb.Observations);
                var (logProb, entropy, entropyValue) = LogProbAndEntropy(output, mb.Actions, entropyInGraph: p.EntCoef > 0);

                // L^PG = −mean(log π_θ(a|s) · A).
                var policyLoss = A2cLoss.PolicyLoss(logProb, mb.Advantages);

                // L^V = mean((R − V_θ(s))²), R = A + V_old.
                var valueLoss = A2cLoss.ValueLoss(values, mb.Returns);

                // L = L^PG + c_vf·L^V − c_ent·H.
                var loss = A2cLoss.Total(policyLoss, valueLoss, entropy, p.VfCoef, p.EntCoef);
                var lossValue = loss.Item();
                NonFiniteException.ThrowIfNonFinite("train/loss", lossValue, context.EnvSteps, GradientSteps);

                // θ ← RMSprop(θ, clip_norm(∇θ L, max_grad_norm)).
                Optimizer.ZeroGrad();
                loss.Backward();
                var gradNorm = GradClip.ClipGradNorm(Parameters, p.MaxGradNorm);
                NonFiniteException.ThrowIfNonFinite("train/grad_norm", gradNorm, context.EnvSteps, GradientSteps);
                Optimizer.Step();
                GradientSteps++;
                steps++;
                lossSum += lossValue;
                policyLossSum += policyLoss.Item();
                valueLossSum += valueLoss.Item();
                entropySum += entropyValue;
                gradNormSum += gradNorm;
            }
        }

        var m = Math.Max(steps, 1);
        LastUpdate = new A2cUpdateStats(policyLossSum / m, valueLossSum / m, entropySum / m, gradNormSum / m, learningRate, steps, lossSum / m);
        return new OnPolicyUpdateStats(LastUpdate.Loss, LastUpdate.GradNorm, steps);
    }

    /// <summary>
    /// Writes the last update's <c>train/policy_loss</c>, <c>train/value_loss</c>, <c>train/entropy</c>, <c>train/grad_norm</c>
    /// and <c>train/learning_rate</c>, in that order (Stable-Baselines3's); the trainer adds <c>train/explained_variance</c>.
    /// </summary>
    public override void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var s = LastUpdate;
        sink.Write("train/policy_loss", s.PolicyLoss, envStep);
        sink.Write("train/value_loss", s.ValueLoss, envStep);
        sink.Write("train/entropy", s.Entropy, envStep);
        sink.Write("train/grad_norm", s.GradNorm, envStep);
        sink.Write("train/learning_rate", s.LearningRate, envStep);
    }
}
