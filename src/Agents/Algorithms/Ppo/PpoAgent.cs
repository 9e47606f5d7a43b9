using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Ppo;

/// <summary>
/// Proximal policy optimisation with a clipped surrogate objective (Schulman et al. 2017), following
/// Stable-Baselines3's <c>PPO</c> step for step: a categorical policy for <see cref="Discrete"/> actions, a
/// diagonal Gaussian with state-independent log-std for <see cref="Box"/> actions, GAE advantages normalised
/// per minibatch, optional value clipping, an entropy bonus, gradient-norm clipping and the target-KL early
/// stop. Train it with <see cref="OnPolicyTrainer"/>.
/// </summary>
/// <remarks>
/// The seed is split by <see cref="SeedStreams"/>: <see cref="SeedStreams.Init"/> initialises the weights,
/// <see cref="SeedStreams.Exploration"/> samples rollout actions, <see cref="SeedStreams.Sampling"/> shuffles
/// minibatches, and a child of the exploration stream samples stochastic evaluation actions, so the same seed gives
/// the same run and a stochastic evaluation does not shift the training streams. Acting and updating allocate
/// nothing in steady state.
/// </remarks>
public sealed class PpoAgent : StochasticPolicyAgent<ActorCriticNetwork>
{
    private const string CheckpointFormat = "rlexperiments.ppo-checkpoint/1";

    /// <summary>Builds the agent for the given spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="createNetwork">
    /// Creates the actor-critic network from the initialisation stream (experiments pass what their actor and critic
    /// factories describe); its observation size, action outputs and continuity must fit the spaces. Null for
    /// Stable-Baselines3's <c>MlpPolicy</c>: separate [64, 64] Tanh actor and critic with orthogonal initialisation.
    /// </param>
    /// <param name="createOptimizer">
    /// Creates the optimiser from the network's parameters and <see cref="PpoParams.LearningRate"/>; null for Adam with
    /// ε = <see cref="PpoParams.AdamEps"/>. The learning rate is still annealed when <see cref="PpoParams.AnnealLearningRate"/> is set.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or an injected network does not fit the spaces.</exception>
    public PpoAgent(Space observationSpace, Space actionSpace, PpoParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base("PPO", observationSpace, actionSpace, seed,
            (rng, outputs, continuous) => new ActorCriticNetwork(observationSpace.FlatSize, outputs, continuous, [64, 64],
                Activation.Tanh, share: false, orthoInit: true, (float)parameters.LogStdInit, rng),
            createNetwork,
            ps => new Adam(ps, parameters.LearningRate, eps: parameters.AdamEps),
            createOptimizer,
            Validated(parameters).LearningRate,
            parameters.NormalizeObservations ? parameters.ObservationClip : null,
            new OnPolicyRolloutSettings(parameters.NumSteps, parameters.Gamma, parameters.GaeLambda, parameters.NormalizeRewards, parameters.RewardClip),
            CheckpointFormat)
    {
        Params = parameters;
    }

    private static PpoParams Validated(PpoParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return parameters;
    }

    /// <summary>The hyperparameters.</summary>
    public PpoParams Params { get; }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor? Values) ForwardPolicyAndValue(Tensor observations) => Network.ForwardBoth(observations);

    /// <inheritdoc />
    protected override Tensor? ForwardValue(Tensor observations) => Network.Value(observations);

    /// <summary>
    /// The PPO update on a full rollout (Stable-Baselines3's <c>PPO.train</c>): <see cref="PpoParams.UpdateEpochs"/>
    /// passes over shuffled minibatches, each a gradient step on
    /// <c>L = L^CLIP + c_ent·(−H[π]) + c_vf·L^V</c>, until the target-KL rule stops it.
    /// </summary>
    /// <returns>The shared statistics; the detailed ones are in <see cref="LastUpdate"/>.</returns>
    public override OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var p = Params;

        // Schedules: SB3's linear schedules multiply by progress_remaining = 1 − env_steps / total_steps.
        var progress = context.ProgressRemaining;
        var learningRate = p.AnnealLearningRate ? p.LearningRate * progress : p.LearningRate;
        var clipRange = (float)(p.AnnealClipRange ? p.ClipRange * progress : p.ClipRange);
        var clipRangeVf = p.ClipRangeVf is { } cvf ? (float?)cvf : null;
        Optimizer.LearningRate = learningRate;

        var minibatches = buffer.Minibatches(p.BatchSize);
        double lossSum = 0, policyLossSum = 0, valueLossSum = 0, entropySum = 0, clipFractionSum = 0, gradNormSum = 0;
        double approxKlSum = 0;
        int approxKlCount = 0, minibatchCount = 0, steps = 0, epochs = 0;
        var stoppedEarly = false;

        for (var epoch = 0; epoch < p.UpdateEpochs && !stoppedEarly; epoch++)
        {
            epochs++;
            // approx_kl is reported for the last epoch, as SB3 does.
            approxKlSum = 0;
            approxKlCount = 0;
            minibatches.Shuffle(ShuffleRng);
            for (var b = 0; b < minibatches.Count; b++)
            {
                var mb = minibatches.Get(b);
                var n = mb.Size;

                // Â = (A − mean A) / (std A + 1e-8), per minibatch.
                if (p.NormalizeAdvantage && n > 1) PpoLoss.NormalizeAdvantages(mb.Advantages.Data);

                using var scope = Tensor.Scope();

                // New log π_θ(a|s), entropy H and V_θ(s) of the stored observations and actions.
                var (output, values) = Network.ForwardBoth(mb.Observations);
                // H is in the graph only when it carries gradient (c_ent > 0); a Gaussian's always is (it is cheap).
                var (logProb, entropy, entropyValue) = LogProbAndEntropy(output, mb.Actions, entropyInGraph: p.EntCoef > 0);

                // r = π_θ(a|s) / π_old(a|s) = exp(log π_θ − log π_old).
                var logRatio = logProb - mb.OldLogProbs;
                var ratio = logRatio.Exp();

                // L^CLIP = −mean(min(r·Â, clip(r, 1 − ε, 1 + ε)·Â)).
                var policyLoss = PpoLoss.ClippedSurrogate(ratio, mb.Advantages, clipRange);

                // L^V = mean((R − V)²), V optionally clipped to V_old ± ε_v.
                var valueLoss = PpoLoss.ValueLoss(values, mb.OldValues, mb.Returns, clipRangeVf);

                // L = L^CLIP − c_ent·H + c_vf·L^V.
                var loss = policyLoss + valueLoss * (float)p.VfCoef;
                if (p.EntCoef > 0) loss -= entropy! * (float)p.EntCoef;

                // approx KL = mean((r − 1) − log r); SB3 stops before stepping once it exceeds 1.5·target_kl.
                var approxKl = PpoLoss.ApproxKl(logRatio.Data);
                approxKlSum += approxKl;
                approxKlCount++;
                if (p.TargetKl is { } targetKl && approxKl > 1.5 * targetKl)
                {
                    stoppedEarly = true;
                    break;
                }

                var lossValue = loss.Item();
                NonFiniteException.ThrowIfNonFinite("train/loss", lossValue, context.EnvSteps, GradientSteps);
                lossSum += lossValue;
                policyLossSum += policyLoss.Item();
                valueLossSum += valueLoss.Item();
                entropySum += entropyValue;
                clipFractionSum += PpoLoss.ClipFraction(ratio.Data, clipRange);
                minibatchCount++;

                // θ ← Adam(θ, clip_norm(∇θ L, max_grad_norm)).
                Optimizer.ZeroGrad();
                loss.Backward();
                var gradNorm = GradClip.ClipGradNorm(Parameters, p.MaxGradNorm);
                NonFiniteException.ThrowIfNonFinite("train/grad_norm", gradNorm, context.EnvSteps, GradientSteps);
                gradNormSum += gradNorm;
                Optimizer.Step();
                GradientSteps++;
                steps++;
            }
        }

        var m = Math.Max(minibatchCount, 1);
        LastUpdate = new PpoUpdateStats(
            PolicyLoss: policyLossSum / m,
            ValueLoss: valueLossSum / m,
            Entropy: entropySum / m,
            ApproxKl: approxKlCount > 0 ? approxKlSum / approxKlCount : 0,
            ClipFraction: clipFractionSum / m,
            GradNorm: gradNormSum / m,
            LearningRate: learningRate,
            ClipRange: clipRange,
            Epochs: epochs,
            GradientSteps: steps,
            StoppedEarly: stoppedEarly,
            Loss: lossSum / m);
        return new OnPolicyUpdateStats(LastUpdate.Loss, LastUpdate.GradNorm, steps);
    }

    /// <summary>The detailed statistics of the last <see cref="Update"/> (default before the first).</summary>
    public PpoUpdateStats LastUpdate { get; private set; }

    /// <summary>
    /// Writes the last update's <c>train/policy_loss</c>, <c>train/value_loss</c>, <c>train/entropy</c>, <c>train/approx_kl</c>,
    /// <c>train/clip_fraction</c>, <c>train/grad_norm</c>, <c>train/learning_rate</c> and <c>train/clip_range</c>, in that order
    /// (Stable-Baselines3's); the trainer adds <c>train/explained_variance</c>.
    /// </summary>
    public override void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var s = LastUpdate;
        sink.Write("train/policy_loss", s.PolicyLoss, envStep);
        sink.Write("train/value_loss", s.ValueLoss, envStep);
        sink.Write("train/entropy", s.Entropy, envStep);
        sink.Write("train/approx_kl", s.ApproxKl, envStep);
        sink.Write("train/clip_fraction", s.ClipFraction, envStep);
        sink.Write("train/grad_norm", s.GradNorm, envStep);
        sink.Write("train/learning_rate", s.LearningRate, envStep);
        sink.Write("train/clip_range", s.ClipRange, envStep);
    }
}
