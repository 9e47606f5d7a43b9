using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.Normalization;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Distributions;
using RlExperiments.Tensors.Nn;
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
public sealed class PpoAgent : IOnPolicyAlgorithm
{
    private readonly Rng _rolloutRng;
    private readonly Rng _shuffleRng;
    private readonly Rng _evalRng;
    private readonly int _obsSize;
    private readonly int _actionSize;
    private readonly bool _continuous;
    private readonly int _discreteStart;
    private readonly Box? _actionBox;
    private readonly IReadOnlyList<Tensor> _parameters;
    private float[] _actScratch = [];

    /// <summary>Builds the agent for the given spaces.</summary>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="parameters">Hyperparameters (validated here).</param>
    /// <param name="seed">Experiment seed, split by <see cref="SeedStreams"/> into initialisation, exploration and sampling streams.</param>
    /// <param name="createNetwork">
    /// Creates the actor-critic network from the initialisation stream instead of the one described by
    /// <see cref="PpoParams.HiddenSizes"/>, <see cref="PpoParams.Activation"/>, <see cref="PpoParams.ShareNetwork"/> and
    /// <see cref="PpoParams.OrthoInit"/>; its observation size, action outputs and continuity must fit the spaces. Null for the built-in network.
    /// </param>
    /// <param name="createOptimizer">
    /// Creates the optimiser from the network's parameters and <see cref="PpoParams.LearningRate"/>; null for Adam with
    /// ε = <see cref="PpoParams.AdamEps"/>. The learning rate is still annealed when <see cref="PpoParams.AnnealLearningRate"/> is set.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A space is not supported, or an injected network does not fit the spaces.</exception>
    public PpoAgent(Space observationSpace, Space actionSpace, PpoParams parameters, int seed,
        Func<Rng, ActorCriticNetwork>? createNetwork = null, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        parameters.Validate();
        if (observationSpace is not Box)
            throw new ArgumentException($"PPO needs a Box observation space; got {observationSpace}.", nameof(observationSpace));
        int actorOutputs;
        switch (actionSpace)
        {
            case Discrete d:
                actorOutputs = d.N;
                _discreteStart = d.Start;
                _actionSize = 1;
                break;
            case Box b:
                actorOutputs = b.FlatSize;
                _actionBox = b;
                _continuous = true;
                _actionSize = b.FlatSize;
                break;
            default:
                throw new ArgumentException($"PPO supports Discrete and Box action spaces; got {actionSpace}.", nameof(actionSpace));
        }

        Params = parameters;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        _obsSize = observationSpace.FlatSize;

        var streams = SeedStreams.FromSeed(seed);
        var initRng = streams.Init;
        _rolloutRng = streams.Exploration;
        _shuffleRng = streams.Sampling;
        _evalRng = streams.Exploration.SpawnOne();

        Network = createNetwork is null
            ? new ActorCriticNetwork(_obsSize, actorOutputs, _continuous, parameters.HiddenSizes, parameters.Activation,
                parameters.ShareNetwork, parameters.OrthoInit, (float)parameters.LogStdInit, initRng)
            : createNetwork(initRng) ?? throw new ArgumentException("createNetwork returned null.", nameof(createNetwork));
        if (Network.ObservationSize != _obsSize || Network.ActionOutputs != actorOutputs || Network.IsContinuous != _continuous)
            throw new ArgumentException(
                $"The injected network has {Network.ObservationSize} inputs, {Network.ActionOutputs} action outputs and is {(Network.IsContinuous ? "continuous" : "discrete")}; " +
                $"the spaces need {_obsSize} inputs, {actorOutputs} outputs, {(_continuous ? "continuous" : "discrete")}.", nameof(createNetwork));
        _parameters = Network.Parameters();
        Optimizer = createOptimizer is null
            ? new Adam(_parameters, parameters.LearningRate, eps: parameters.AdamEps)
            : createOptimizer(_parameters, parameters.LearningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        if (parameters.NormalizeObservations)
            ObservationNormalizer = new ObservationNormalizer(_obsSize, parameters.ObservationClip);
        Rollout = new OnPolicyRolloutSettings(parameters.NumSteps, parameters.Gamma, parameters.GaeLambda,
            parameters.NormalizeRewards, parameters.RewardClip);
        Networks = new Dictionary<string, Module> { ["policy"] = Network };
    }

    /// <summary>The hyperparameters.</summary>
    public PpoParams Params { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The actor-critic network.</summary>
    public ActorCriticNetwork Network { get; }

    /// <summary>The optimiser over all of <see cref="Network"/>'s parameters (Adam unless another was injected).</summary>
    public Optimizer Optimizer { get; }

    /// <inheritdoc />
    public ObservationNormalizer? ObservationNormalizer { get; }

    /// <inheritdoc />
    public OnPolicyRolloutSettings Rollout { get; }

    /// <inheritdoc />
    public long GradientSteps { get; private set; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Module> Networks { get; }

    /// <inheritdoc />
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = RowsOf(observations);
        if (actions.Length != rows * _actionSize)
            throw new ArgumentException($"actions needs {rows * _actionSize} floats for {rows} observations; got {actions.Length}.", nameof(actions));
        var obs = observations;
        if (ObservationNormalizer is not null)
        {
            if (_actScratch.Length < observations.Length) _actScratch = new float[observations.Length];
            var scratch = _actScratch.AsSpan(0, observations.Length);
            ObservationNormalizer.Normalize(observations, scratch);
            obs = scratch;
        }

        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var x = Tensor.From(obs, [rows, _obsSize]);
        var output = Network.Forward(x);
        if (!_continuous)
        {
            var a = deterministic ? output.Argmax(1) : new Categorical(output).Sample(_evalRng);
            var ad = a.Data;
            for (var i = 0; i < rows; i++) actions[i] = ad[i] + _discreteStart;
            return;
        }
        var sample = deterministic ? output : new Normal(output, Network.LogStd!).Sample(_evalRng);
        ClipToBox(sample.Data, actions);
    }

    /// <inheritdoc />
    public void ActForRollout(ReadOnlySpan<float> observations, Span<float> actions, Span<float> values, Span<float> logProbs)
    {
        var rows = RowsOf(observations);
        if (actions.Length != rows * _actionSize || values.Length != rows || logProbs.Length != rows)
            throw new ArgumentException($"For {rows} observations expected {rows * _actionSize} actions, {rows} values and {rows} log-probs; got {actions.Length}, {values.Length} and {logProbs.Length}.");
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var x = Tensor.From(observations, [rows, _obsSize]);
        var (output, value) = Network.ForwardBoth(x);
        Tensor a, logProb;
        if (_continuous)
        {
            var dist = new Normal(output, Network.LogStd!);
            a = dist.Sample(_rolloutRng);
            logProb = dist.LogProb(a);
        }
        else
        {
            var dist = new Categorical(output);
            a = dist.Sample(_rolloutRng);
            logProb = dist.LogProb(a);
        }
        a.Data.CopyTo(actions);
        value.Data.CopyTo(values);
        logProb.Data.CopyTo(logProbs);
    }

    /// <inheritdoc />
    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
    {
        var rows = RowsOf(observations);
        if (values.Length != rows)
            throw new ArgumentException($"values needs {rows} floats; got {values.Length}.", nameof(values));
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        Network.Value(Tensor.From(observations, [rows, _obsSize])).Data.CopyTo(values);
    }

    /// <summary>
    /// The PPO update on a full rollout (Stable-Baselines3's <c>PPO.train</c>): <see cref="PpoParams.NumEpochs"/>
    /// passes over shuffled minibatches, each a gradient step on
    /// <c>L = L^CLIP + c_ent·(−H[π]) + c_vf·L^V</c>, until the target-KL rule stops it.
    /// </summary>
    /// <returns>The shared statistics; the detailed ones are in <see cref="LastUpdate"/>.</returns>
    public OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
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

        for (var epoch = 0; epoch < p.NumEpochs && !stoppedEarly; epoch++)
        {
            epochs++;
            // approx_kl is reported for the last epoch, as SB3 does.
            approxKlSum = 0;
            approxKlCount = 0;
            minibatches.Shuffle(_shuffleRng);
            for (var b = 0; b < minibatches.Count; b++)
            {
                var mb = minibatches.Get(b);
                var n = mb.Size;

                // Â = (A − mean A) / (std A + 1e-8), per minibatch.
                if (p.NormalizeAdvantage && n > 1) PpoLoss.NormalizeAdvantages(mb.Advantages.Data);

                using var scope = Tensor.Scope();

                // New log π_θ(a|s), entropy H and V_θ(s) of the stored observations and actions.
                var (output, values) = Network.ForwardBoth(mb.Observations);
                Tensor logProb;
                Tensor? entropy = null;   // in the graph only when it carries gradient (c_ent > 0)
                double entropyValue;
                if (_continuous)
                {
                    var dist = new Normal(output, Network.LogStd!);
                    logProb = dist.LogProb(mb.Actions);
                    // H of a diagonal Gaussian with state-independent σ: Σ_d (½ + ½ log 2π + log σ_d), the same for every row.
                    entropy = Network.LogStd!.Sum() + _actionSize * (0.5f + 0.5f * MathF.Log(2f * MathF.PI));
                    entropyValue = entropy.Item();
                }
                else
                {
                    var dist = new Categorical(output);
                    logProb = dist.LogProb(mb.Actions.Reshape([n]));
                    // H = −Σ_a π(a|s) log π(a|s), averaged over the minibatch. With c_ent = 0 (the default) its gradient
                    // is multiplied by zero, so it is read off the log-probabilities instead of adding graph nodes.
                    if (p.EntCoef > 0)
                    {
                        entropy = dist.Entropy().Mean();
                        entropyValue = entropy.Item();
                    }
                    else entropyValue = MeanCategoricalEntropy(dist.LogProbs);
                }

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
                var gradNorm = GradClip.ClipGradNorm(_parameters, p.MaxGradNorm);
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
    public void WriteMetrics(IMetricsSink sink, long envStep)
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

    /// <inheritdoc />
    /// <remarks>
    /// Writes <c>networks.safetensors</c> (the <c>policy</c> network), <c>optimizer.safetensors</c> (Adam's state) and
    /// <c>agent.json</c> (random streams, gradient-step count, observation-normaliser statistics), each atomically.
    /// The rollout buffer is not saved: it is refilled from scratch every iteration.
    /// </remarks>
    public void SaveCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        CheckpointFiles.SaveModules(Path.Combine(directory, "networks.safetensors"), CheckpointModules());
        CheckpointFiles.SaveOptimizer(Path.Combine(directory, "optimizer.safetensors"), Optimizer);
        CheckpointFiles.SaveJson(Path.Combine(directory, "agent.json"), new PpoCheckpoint(
            CheckpointFormat, _rolloutRng.GetState(), _shuffleRng.GetState(), _evalRng.GetState(), GradientSteps,
            ObservationNormalizer?.GetState()));
    }

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var meta = CheckpointFiles.LoadJson<PpoCheckpoint>(Path.Combine(directory, "agent.json"), CheckpointFormat);
        if ((meta.ObservationStatistics is null) != (ObservationNormalizer is null))
            throw new InvalidDataException($"'{directory}/agent.json' {(meta.ObservationStatistics is null ? "has no" : "has")} observation statistics, " +
                $"but this agent {(ObservationNormalizer is null ? "does not normalise" : "normalises")} observations (NormalizeObservations differs).");
        if (meta.GradientSteps < 0)
            throw new InvalidDataException($"'{directory}/agent.json' holds a negative gradient-step count ({meta.GradientSteps}).");
        var restoreOptimizer = CheckpointFiles.PrepareOptimizer(Path.Combine(directory, "optimizer.safetensors"), Optimizer);
        CheckpointFiles.LoadModules(Path.Combine(directory, "networks.safetensors"), CheckpointModules());
        restoreOptimizer();
        if (meta.ObservationStatistics is { } stats)
        {
            try { ObservationNormalizer!.SetState(stats); }
            catch (ArgumentException e) { throw new InvalidDataException($"'{directory}/agent.json': observation statistics: {e.Message}", e); }
        }
        _rolloutRng.SetState(meta.Exploration);
        _shuffleRng.SetState(meta.Sampling);
        _evalRng.SetState(meta.Evaluation);
        GradientSteps = meta.GradientSteps;
    }

    private const string CheckpointFormat = "rlexperiments.ppo-checkpoint/1";

    private Dictionary<string, Module> CheckpointModules() => new(StringComparer.Ordinal) { ["policy"] = Network };

    private sealed record PpoCheckpoint(string Format, RngState Exploration, RngState Sampling, RngState Evaluation, long GradientSteps,
        RunningMeanStdState? ObservationStatistics);

    /// <summary>mean over rows of −Σ_a p·log p, from log-probabilities [B, n] (no graph).</summary>
    private static double MeanCategoricalEntropy(Tensor logProbs)
    {
        var lp = logProbs.Data;
        double sum = 0;
        for (var i = 0; i < lp.Length; i++) sum -= Math.Exp(lp[i]) * lp[i];
        return sum / logProbs.Shape[0];
    }

    private int RowsOf(ReadOnlySpan<float> observations)
    {
        if (observations.Length == 0 || observations.Length % _obsSize != 0)
            throw new ArgumentException($"observations must hold whole rows of {_obsSize} floats; got {observations.Length}.", nameof(observations));
        return observations.Length / _obsSize;
    }

    private void ClipToBox(ReadOnlySpan<float> source, Span<float> destination)
    {
        var low = _actionBox!.Low;
        var high = _actionBox.High;
        for (var i = 0; i < source.Length; i++)
        {
            var j = i % _actionSize;
            destination[i] = Math.Clamp(source[i], low[j], high[j]);
        }
    }
}
