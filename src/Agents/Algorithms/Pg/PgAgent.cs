using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms.Pg;

/// <summary>
/// REINFORCE, the vanilla policy gradient (Williams 1992; Tianshou's <c>Reinforce</c>): ascends
/// <c>E[ log π_θ(a|s) · G ]</c> with the Monte-Carlo discounted return G, without a critic. A categorical policy for
/// <see cref="Discrete"/> actions, a diagonal Gaussian with state-independent log-std for <see cref="Box"/> actions.
/// Train it with <see cref="OnPolicyTrainer"/>.
/// </summary>
/// <remarks>
/// <para>Returns come from the trainer's GAE with no critic: the agent's values are all 0 and its
/// <see cref="OnPolicyRolloutSettings.GaeLambda"/> is 1, so <c>A_t = G_t = r_t + γ·G_{t+1}</c> within an episode, 0 after a
/// termination or truncation (a time limit is bootstrapped with V = 0, i.e. with nothing) and at the end of the collect.</para>
/// <para>The seed is split by <see cref="SeedStreams"/> as for every policy-gradient agent
/// (<see cref="StochasticPolicyAgent{TNetwork}"/>). Acting and updating allocate nothing in steady state.</para>
/// </remarks>
public sealed class PgAgent : StochasticPolicyAgent<PolicyNetwork>
{
    private const string CheckpointFormat = "rlexperiments.pg-checkpoint/1";
    private const double ReturnScalingEps = 1e-8;
    private readonly RunningMeanStd? _returnStats;

    /// <summary>Builds the agent for the given spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/>.</param>
    /// <param name="createNetwork">Creates the policy from the initialisation stream (experiments pass what their actor factory describes); null for a [64, 64] Tanh MLP with orthogonal initialisation (Stable-Baselines3's actor).</param>
    /// <param name="createOptimizer">Creates the optimiser from the parameters and <see cref="PgParams.LearningRate"/>; null for Adam with ε = <see cref="PgParams.AdamEps"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or an injected network does not fit the spaces.</exception>
    public PgAgent(Space observationSpace, Space actionSpace, PgParams parameters, int seed,
        Func<Rng, PolicyNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
        : base("PG", observationSpace, actionSpace, seed,
            (rng, outputs, continuous) => new PolicyNetwork(observationSpace.FlatSize, outputs, continuous, [64, 64],
                Activation.Tanh, orthoInit: true, (float)parameters.LogStdInit, rng),
            createNetwork,
            ps => new Adam(ps, parameters.LearningRate, eps: parameters.AdamEps),
            createOptimizer,
            Validated(parameters).LearningRate,
            parameters.NormalizeObservations ? parameters.ObservationClip : null,
            new OnPolicyRolloutSettings(parameters.NumSteps, parameters.Gamma, GaeLambda: 1.0),
            CheckpointFormat)
    {
        Params = parameters;
        if (parameters.ReturnScaling) _returnStats = new RunningMeanStd(1);
    }

    private static PgParams Validated(PgParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        return parameters;
    }

    /// <summary>The hyperparameters.</summary>
    public PgParams Params { get; }

    /// <summary>The running statistics of raw returns (with <see cref="PgParams.ReturnScaling"/>), or null.</summary>
    public RunningMeanStd? ReturnStatistics => _returnStats;

    /// <summary>The detailed statistics of the last <see cref="Update"/> (default before the first).</summary>
    public PgUpdateStats LastUpdate { get; private set; }

    /// <inheritdoc />
    protected override (Tensor Output, Tensor? Values) ForwardPolicyAndValue(Tensor observations) => (Network.Forward(observations), null);

    /// <inheritdoc />
    protected override Tensor? ForwardValue(Tensor observations) => null;

    /// <summary>
    /// The REINFORCE update on a full collect: <see cref="PgParams.UpdateEpochs"/> passes over shuffled minibatches
    /// (the whole collect unless <see cref="PgParams.BatchSize"/> is set), each a gradient step on
    /// <c>L = −mean(log π_θ(a|s) · Ĝ)</c>.
    /// </summary>
    /// <returns>The shared statistics; the detailed ones are in <see cref="LastUpdate"/>.</returns>
    public override OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var p = Params;

        // lr_k = lr · progress_remaining when annealed (SB3's linear schedule), else lr.
        var learningRate = p.AnnealLearningRate ? p.LearningRate * context.ProgressRemaining : p.LearningRate;
        Optimizer.LearningRate = learningRate;

        // G_t = r_t + γ·(1 − done_t)·G_{t+1}: the trainer's GAE with V ≡ 0 and λ = 1 left it in Advantages (= Returns).
        var returns = buffer.Advantages;
        double returnMean = 0;
        foreach (var g in buffer.Returns) returnMean += g;
        returnMean /= buffer.Returns.Length;

        // Return scaling (Tianshou): Ĝ = (G − μ) / √(σ² + 1e-8) with the statistics so far, then (μ, σ²) take in this collect's G.
        if (_returnStats is not null)
        {
            var mean = (float)_returnStats.Mean[0];
            var scale = (float)(1.0 / Math.Sqrt(_returnStats.Var[0] + ReturnScalingEps));
            for (var i = 0; i < returns.Length; i++) returns[i] = (returns[i] - mean) * scale;
            _returnStats.UpdateBatch(buffer.Returns);
        }

        var minibatches = buffer.Minibatches(p.BatchSize ?? buffer.Capacity);
        double lossSum = 0, entropySum = 0, gradNormSum = 0;
        var steps = 0;
        for (var epoch = 0; epoch < p.UpdateEpochs; epoch++)
        {
            minibatches.Shuffle(ShuffleRng);
            for (var b = 0; b < minibatches.Count; b++)
            {
                var mb = minibatches.Get(b);
                using var scope = Tensor.Scope();

                // log π_θ(a|s) of the stored actions (and H[π], logged only).
                var output = Network.Forward(mb.Observations);
                var (logProb, _, entropyValue) = LogProbAndEntropy(output, mb.Actions, entropyInGraph: false);

                // L = −mean(log π_θ(a|s) · Ĝ): its gradient is the REINFORCE estimate −mean(∇θ log π_θ(a|s) · Ĝ).
                var loss = -(logProb * mb.Advantages).Mean();
                var lossValue = loss.Item();
                NonFiniteException.ThrowIfNonFinite("train/loss", lossValue, context.EnvSteps, GradientSteps);

                // θ ← Adam(θ, ∇θ L), the gradient clipped to max_grad_norm when set.
                Optimizer.ZeroGrad();
                loss.Backward();
                var gradNorm = p.MaxGradNorm is { } max ? GradClip.ClipGradNorm(Parameters, max) : GradClip.GradNorm(Parameters);
                NonFiniteException.ThrowIfNonFinite("train/grad_norm", gradNorm, context.EnvSteps, GradientSteps);
                Optimizer.Step();
                GradientSteps++;
                steps++;
                lossSum += lossValue;
                entropySum += entropyValue;
                gradNormSum += gradNorm;
            }
        }

        var m = Math.Max(steps, 1);
        LastUpdate = new PgUpdateStats(lossSum / m, entropySum / m, gradNormSum / m, learningRate, returnMean, steps);
        return new OnPolicyUpdateStats(LastUpdate.PolicyLoss, LastUpdate.GradNorm, steps);
    }

    /// <summary>
    /// Writes the last update's <c>train/policy_loss</c>, <c>train/entropy</c>, <c>train/grad_norm</c>,
    /// <c>train/learning_rate</c> and <c>train/return_mean</c>, in that order; the trainer adds <c>train/explained_variance</c>
    /// (0: there is no critic).
    /// </summary>
    public override void WriteMetrics(IMetricsSink sink, long envStep)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var s = LastUpdate;
        sink.Write("train/policy_loss", s.PolicyLoss, envStep);
        sink.Write("train/entropy", s.Entropy, envStep);
        sink.Write("train/grad_norm", s.GradNorm, envStep);
        sink.Write("train/learning_rate", s.LearningRate, envStep);
        sink.Write("train/return_mean", s.ReturnMean, envStep);
    }

    /// <inheritdoc />
    protected override RunningMeanStdState? GetExtraStatistics() => _returnStats?.GetState();

    /// <inheritdoc />
    protected override void SetExtraStatistics(RunningMeanStdState? statistics, string path)
    {
        if ((statistics is null) != (_returnStats is null))
            throw new InvalidDataException($"'{path}' {(statistics is null ? "has no" : "has")} return statistics, " +
                $"but this agent {(_returnStats is null ? "does not scale" : "scales")} returns (ReturnScaling differs).");
        if (statistics is null) return;
        try { _returnStats!.SetState(statistics); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}': return statistics: {e.Message}", e); }
    }
}
