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
/// <remarks>The update (<see cref="Update"/>) follows SB3's order: critics, then (delayed) actor and targets. Acting and
/// updating allocate nothing in steady state.</remarks>
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
    }

    /// <summary>The hyperparameters.</summary>
    public Td3Params Params { get; }

    private static DeterministicPolicySettings Settings(Td3Params parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return new("TD3", parameters.LearningRate, parameters.BufferSize, parameters.LearningStarts, parameters.BatchSize,
            parameters.Gamma, parameters.NStep, parameters.TrainFreq, parameters.GradientSteps, parameters.ExplorationNoise, parameters.NoiseType, parameters.MaxGradNorm);
    }

    /// <summary>
    /// One gradient step on a replay batch: the critics, then, when <paramref name="gradientStep"/> is a multiple of
    /// <see cref="Td3Params.UpdateActorFreq"/>, the actor and the target actor and critics.
    /// </summary>
    public override UpdateStats Update(long envSteps, long gradientStep)
    {
        var b = Batch;
        Buffer.Sample(b, SamplingRng);
        var n = b.Size;
        using var scope = Tensor.Scope();

        // 1. Critic target without gradient, with target policy smoothing and clipped double-Q:
        //      ε ~ clip(N(0, σ̃²), −c, c),  a' = clip(μ'(s') + ε, −1, 1)
        //      y = R + γ^k (1 − done) · min(Q₁'(s', a'), Q₂'(s', a'))
        Tensor y;
        using (Tensor.NoGrad())
        {
            var smoothing = (Tensor.Randn([n, b.ActionSize], SamplingRng) * (float)Params.PolicyNoise)
                .Clamp(-(float)Params.NoiseClip, (float)Params.NoiseClip);
            var nextAction = (ActorTarget.Forward(b.NextObs) + smoothing).Clamp(-1f, 1f);   // [B, act]
            var (q1Next, q2Next) = CriticTarget.Forward(b.NextObs, nextAction);
            y = b.Rewards + b.Discounts * (1f - b.Dones) * q1Next.Minimum(q2Next);             // [B, 1]
        }

        // 2. Critics: J(Q) = Σⱼ mean((Qⱼ(s, a) − y)²).
        var (q1, q2) = Critic.Forward(b.Obs, b.Actions);
        var criticLoss = Functional.MseLoss(q1, y) + Functional.MseLoss(q2, y);
        CriticOptimizer.ZeroGrad();
        criticLoss.Backward();
        var criticNorm = ClipOrNorm(CriticParams);
        var criticLossValue = (double)criticLoss.Item();
        NonFiniteException.ThrowIfNonFinite("train/critic_loss", criticLossValue, envSteps, gradientStep);
        NonFiniteException.ThrowIfNonFinite("train/grad_norm", criticNorm, envSteps, gradientStep);
        CriticOptimizer.Step();

        // 3. Delayed policy update, every UpdateActorFreq critic steps:
        //    actor J(μ) = −mean(Q₁(s, μ(s))) with the updated critics, whose weights are frozen for this pass (the
        //    gradient still flows through Q₁ to the action); then the targets θ' ← τθ + (1 − τ)θ' for critics and actor.
        if (gradientStep % Params.UpdateActorFreq == 0)
        {
            SetCriticRequiresGrad(false);
            var q1Pi = Critic.Q1(b.Obs, Actor.Forward(b.Obs));
            try { ActorStep(q1Pi, envSteps, gradientStep); }
            finally { SetCriticRequiresGrad(true); }
            var tau = (float)Params.Tau;
            CriticTarget.SoftUpdate(Critic, tau);
            ActorTarget.SoftUpdate(Actor, tau);
        }

        // Metrics.
        var q1Data = q1.Data;
        var yData = y.Data;
        double qSum = 0, tdSum = 0;
        for (var i = 0; i < n; i++)
        {
            qSum += q1Data[i];
            tdSum += Math.Abs(q1Data[i] - yData[i]);
        }
        CriticMetrics.Add(criticLossValue, qSum / n, tdSum / n, criticNorm);
        return new UpdateStats(criticLossValue, criticNorm);
    }
}
