using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Checkpoints;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Normalization;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Distributions;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>
/// What the on-policy policy-gradient agents (REINFORCE, A2C, PPO, and NPG and TRPO through <see cref="NaturalPolicyGradientAgent"/>) share, everything but the update: a categorical
/// policy for <see cref="Discrete"/> actions or a diagonal Gaussian with state-independent log-std for <see cref="Box"/>
/// actions, acting, rollout sampling and value prediction, the optional observation normaliser, one optimiser over all
/// parameters, and the checkpoint of random streams, step count and statistics.
/// </summary>
/// <remarks>
/// The seed is split by <see cref="SeedStreams"/>: <see cref="SeedStreams.Init"/> initialises the weights,
/// <see cref="SeedStreams.Exploration"/> samples rollout actions, <see cref="SeedStreams.Sampling"/> shuffles
/// minibatches (<see cref="ShuffleRng"/>), and a child of the exploration stream samples stochastic evaluation actions.
/// Acting allocates nothing in steady state.
/// </remarks>
/// <typeparam name="TNetwork">The policy network (with or without a critic).</typeparam>
public abstract class StochasticPolicyAgent<TNetwork> : IOnPolicyAlgorithm where TNetwork : Module, IStochasticPolicyNetwork
{
    private readonly Rng _rolloutRng;
    private readonly Rng _evalRng;
    private readonly int _discreteStart;
    private readonly Box? _actionBox;
    private readonly string _checkpointFormat;
    private float[] _actScratch = [];

    /// <summary>Checks the spaces, splits the seed and creates the network, the optimiser and the normaliser.</summary>
    /// <param name="algorithm">The algorithm's name, for error messages.</param>
    /// <param name="observationSpace">A <see cref="Box"/> observation space.</param>
    /// <param name="actionSpace">A <see cref="Discrete"/> or <see cref="Box"/> action space.</param>
    /// <param name="seed">Experiment seed.</param>
    /// <param name="createDefaultNetwork">Creates the built-in network from (initialisation stream, action outputs, continuous).</param>
    /// <param name="createNetwork">An injected network factory, or null for the built-in one.</param>
    /// <param name="createDefaultOptimizer">The algorithm's default optimiser over the parameters.</param>
    /// <param name="createOptimizer">An injected optimiser factory (parameters, learning rate), or null for the default.</param>
    /// <param name="learningRate">The learning rate passed to <paramref name="createOptimizer"/>.</param>
    /// <param name="observationNormalization">Null, or the clip bound of normalised observations.</param>
    /// <param name="rollout">How rollouts are collected.</param>
    /// <param name="checkpointFormat">The format tag of <c>agent.json</c>, e.g. <c>rlexperiments.ppo-checkpoint/1</c>.</param>
    /// <exception cref="ArgumentException">A space is not supported, or an injected network does not fit the spaces.</exception>
    protected StochasticPolicyAgent(string algorithm, Space observationSpace, Space actionSpace, int seed,
        Func<Rng, int, bool, TNetwork> createDefaultNetwork, Func<Rng, TNetwork>? createNetwork,
        Func<IReadOnlyList<Tensor>, Optimizer> createDefaultOptimizer, Func<IReadOnlyList<Tensor>, double, Optimizer>? createOptimizer,
        double learningRate, double? observationNormalization, OnPolicyRolloutSettings rollout, string checkpointFormat)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(createDefaultNetwork);
        ArgumentNullException.ThrowIfNull(createDefaultOptimizer);
        if (observationSpace is not Box)
            throw new ArgumentException($"{algorithm} needs a Box observation space; got {observationSpace}.", nameof(observationSpace));
        int actorOutputs;
        switch (actionSpace)
        {
            case Discrete d:
                actorOutputs = d.N;
                _discreteStart = d.Start;
                ActionSize = 1;
                break;
            case Box b:
                actorOutputs = b.FlatSize;
                _actionBox = b;
                IsContinuous = true;
                ActionSize = b.FlatSize;
                break;
            default:
                throw new ArgumentException($"{algorithm} supports Discrete and Box action spaces; got {actionSpace}.", nameof(actionSpace));
        }

        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        ObservationSize = observationSpace.FlatSize;
        _checkpointFormat = checkpointFormat;

        var streams = SeedStreams.FromSeed(seed);
        var initRng = streams.Init;
        _rolloutRng = streams.Exploration;
        ShuffleRng = streams.Sampling;
        _evalRng = streams.Exploration.SpawnOne();

        Network = createNetwork is null
            ? createDefaultNetwork(initRng, actorOutputs, IsContinuous)
            : createNetwork(initRng) ?? throw new ArgumentException("createNetwork returned null.", nameof(createNetwork));
        if (Network.ObservationSize != ObservationSize || Network.ActionOutputs != actorOutputs || Network.IsContinuous != IsContinuous)
            throw new ArgumentException(
                $"The injected network has {Network.ObservationSize} inputs, {Network.ActionOutputs} action outputs and is {(Network.IsContinuous ? "continuous" : "discrete")}; " +
                $"the spaces need {ObservationSize} inputs, {actorOutputs} outputs, {(IsContinuous ? "continuous" : "discrete")}.", nameof(createNetwork));
        Parameters = Network.Parameters();
        Optimizer = createOptimizer is null
            ? createDefaultOptimizer(Parameters)
            : createOptimizer(Parameters, learningRate) ?? throw new ArgumentException("createOptimizer returned null.", nameof(createOptimizer));
        if (observationNormalization is { } clip)
            ObservationNormalizer = new ObservationNormalizer(ObservationSize, clip);
        Rollout = rollout;
        Networks = new Dictionary<string, Module> { ["policy"] = Network };
    }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The policy network (and critic, where the algorithm has one).</summary>
    public TNetwork Network { get; }

    /// <summary>The optimiser over all of <see cref="Network"/>'s parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <inheritdoc />
    public ObservationNormalizer? ObservationNormalizer { get; }

    /// <inheritdoc />
    public OnPolicyRolloutSettings Rollout { get; }

    /// <inheritdoc />
    public long GradientSteps { get; protected set; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Module> Networks { get; }

    /// <summary>All of <see cref="Network"/>'s parameters (what the optimiser updates and the gradient clipping sees).</summary>
    protected IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The minibatch shuffling stream (<see cref="SeedStreams.Sampling"/>).</summary>
    protected Rng ShuffleRng { get; }

    /// <summary>Floats per observation.</summary>
    protected int ObservationSize { get; }

    /// <summary>Floats per stored action (1 for Discrete, the Box size for Box).</summary>
    protected int ActionSize { get; }

    /// <summary>Whether the policy is a Gaussian (Box actions).</summary>
    protected bool IsContinuous { get; }

    /// <summary>The policy output and V(s) [B] of a batch of observations; null values for an algorithm without a critic (they read as 0).</summary>
    protected abstract (Tensor Output, Tensor? Values) ForwardPolicyAndValue(Tensor observations);

    /// <summary>V(s) [B] of a batch of observations, or null for an algorithm without a critic (values read as 0).</summary>
    protected abstract Tensor? ForwardValue(Tensor observations);

    /// <inheritdoc />
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        var rows = RowsOf(observations);
        if (actions.Length != rows * ActionSize)
            throw new ArgumentException($"actions needs {rows * ActionSize} floats for {rows} observations; got {actions.Length}.", nameof(actions));
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
        var x = Tensor.From(obs, [rows, ObservationSize]);
        var output = Network.Forward(x);
        if (!IsContinuous)
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
        if (actions.Length != rows * ActionSize || values.Length != rows || logProbs.Length != rows)
            throw new ArgumentException($"For {rows} observations expected {rows * ActionSize} actions, {rows} values and {rows} log-probs; got {actions.Length}, {values.Length} and {logProbs.Length}.");
        if (!IsContinuous && RolloutPlans(rows) is { } plans)
        {
            // Compiled forward passes (no autodiff, no tensors; the values of the modules for 4 rows or more, to float
            // rounding below), then the categorical draw on plain spans (the draws of Categorical.Sample, bit for bit).
            Categorical.SampleFromLogits(plans.Policy.Forward(observations), _rolloutRng, actions, logProbs, _logitScratch);
            plans.Value.Forward(observations).CopyTo(values);
            return;
        }
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var x = Tensor.From(observations, [rows, ObservationSize]);
        var (output, value) = ForwardPolicyAndValue(x);
        Tensor a, logProb;
        if (IsContinuous)
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
        if (value is null) values.Clear();
        else value.Data.CopyTo(values);
        logProb.Data.CopyTo(logProbs);
    }

    // Acting plans of the policy and value networks (IActingPlans), compiled at the first rollout step for its batch.
    private (InferencePlan Policy, InferencePlan Value)? _rolloutPlans;
    private bool _rolloutPlansTried;
    private float[] _logitScratch = [];

    /// <summary>The compiled acting plans when the network offers them and <paramref name="rows"/> fits their batch, else null.</summary>
    private (InferencePlan Policy, InferencePlan Value)? RolloutPlans(int rows)
    {
        if (!_rolloutPlansTried)
        {
            _rolloutPlansTried = true;
            _rolloutPlans = Network is IActingPlans source ? source.CompileActing(Math.Max(rows, 16)) : null;
            _logitScratch = new float[Network.ActionOutputs];
        }
        return _rolloutPlans is { } p && rows <= p.Policy.MaxBatch ? p : null;
    }

    /// <inheritdoc />
    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
    {
        var rows = RowsOf(observations);
        if (values.Length != rows)
            throw new ArgumentException($"values needs {rows} floats; got {values.Length}.", nameof(values));
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var v = ForwardValue(Tensor.From(observations, [rows, ObservationSize]));
        if (v is null) values.Clear();
        else v.Data.CopyTo(values);
    }

    /// <inheritdoc />
    public abstract OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context);

    /// <inheritdoc />
    public abstract void WriteMetrics(IMetricsSink sink, long envStep);

    /// <summary>
    /// log π_θ(a|s) [B] of the stored actions and the policy's entropy H: the entropy as a graph node
    /// (<paramref name="entropyInGraph"/>, the minibatch mean) when it carries gradient, and its value in any case. A
    /// Gaussian with state-independent σ has the same entropy in every row, Σ_d (½ + ½ log 2π + log σ_d); a categorical
    /// one's, −Σ_a π(a|s) log π(a|s), is read off the log-probabilities without graph nodes when not needed.
    /// </summary>
    /// <param name="output">The policy output [B, outputs] (with gradient).</param>
    /// <param name="actions">The stored actions [B, action size].</param>
    /// <param name="entropyInGraph">Whether the entropy must carry gradient (an entropy bonus &gt; 0).</param>
    protected (Tensor LogProb, Tensor? Entropy, double EntropyValue) LogProbAndEntropy(Tensor output, Tensor actions, bool entropyInGraph)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(actions);
        var n = output.Shape[0];
        if (IsContinuous)
        {
            var dist = new Normal(output, Network.LogStd!);
            var logProb = dist.LogProb(actions);
            var entropy = Network.LogStd!.Sum() + ActionSize * (0.5f + 0.5f * MathF.Log(2f * MathF.PI));
            return (logProb, entropy, entropy.Item());
        }
        var cat = new Categorical(output);
        var lp = cat.LogProb(actions.Reshape([n]));
        if (entropyInGraph)
        {
            var entropy = cat.Entropy().Mean();
            return (lp, entropy, entropy.Item());
        }
        return (lp, null, MeanCategoricalEntropy(cat.LogProbs));
    }

    /// <summary>mean over rows of −Σ_a p·log p, from log-probabilities [B, n] (no graph).</summary>
    private static double MeanCategoricalEntropy(Tensor logProbs)
    {
        var lp = logProbs.Data;
        double sum = 0;
        for (var i = 0; i < lp.Length; i++) sum -= Math.Exp(lp[i]) * lp[i];
        return sum / logProbs.Shape[0];
    }

    /// <summary>Statistics of the algorithm's own (e.g. REINFORCE's return scaling) to keep in <c>agent.json</c>, or null.</summary>
    protected virtual RunningMeanStdState? GetExtraStatistics() => null;

    /// <summary>Restores what <see cref="GetExtraStatistics"/> saved (null when nothing was).</summary>
    /// <exception cref="InvalidDataException">The saved statistics do not fit this agent.</exception>
    protected virtual void SetExtraStatistics(RunningMeanStdState? statistics, string path)
    {
        if (statistics is not null)
            throw new InvalidDataException($"'{path}' holds return statistics, but this agent keeps none.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes <c>networks.safetensors</c> (the <c>policy</c> network), <c>optimizer.safetensors</c> (the optimiser's state) and
    /// <c>agent.json</c> (random streams, gradient-step count, normaliser statistics), each atomically.
    /// The rollout buffer is not saved: it is refilled from scratch every iteration.
    /// </remarks>
    public void SaveCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        CheckpointFiles.SaveModules(Path.Combine(directory, "networks.safetensors"), CheckpointModules());
        CheckpointFiles.SaveOptimizer(Path.Combine(directory, "optimizer.safetensors"), Optimizer);
        var extra = GetExtraStatistics();
        var path = Path.Combine(directory, "agent.json");
        if (extra is null)
            CheckpointFiles.SaveJson(path, new PolicyCheckpoint(
                _checkpointFormat, _rolloutRng.GetState(), ShuffleRng.GetState(), _evalRng.GetState(), GradientSteps,
                ObservationNormalizer?.GetState()));
        else
            CheckpointFiles.SaveJson(path, new PolicyCheckpointWithReturns(
                _checkpointFormat, _rolloutRng.GetState(), ShuffleRng.GetState(), _evalRng.GetState(), GradientSteps,
                ObservationNormalizer?.GetState(), extra));
    }

    /// <inheritdoc />
    public void LoadCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, "agent.json");
        var meta = CheckpointFiles.LoadJson<PolicyCheckpointWithReturns>(path, _checkpointFormat);
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
        SetExtraStatistics(meta.ReturnStatistics, path);
        _rolloutRng.SetState(meta.Exploration);
        ShuffleRng.SetState(meta.Sampling);
        _evalRng.SetState(meta.Evaluation);
        GradientSteps = meta.GradientSteps;
    }

    private Dictionary<string, Module> CheckpointModules() => new(StringComparer.Ordinal) { ["policy"] = Network };

    private sealed record PolicyCheckpoint(string Format, RngState Exploration, RngState Sampling, RngState Evaluation, long GradientSteps,
        RunningMeanStdState? ObservationStatistics);

    private sealed record PolicyCheckpointWithReturns(string Format, RngState Exploration, RngState Sampling, RngState Evaluation, long GradientSteps,
        RunningMeanStdState? ObservationStatistics, RunningMeanStdState? ReturnStatistics);

    private int RowsOf(ReadOnlySpan<float> observations)
    {
        if (observations.Length == 0 || observations.Length % ObservationSize != 0)
            throw new ArgumentException($"observations must hold whole rows of {ObservationSize} floats; got {observations.Length}.", nameof(observations));
        return observations.Length / ObservationSize;
    }

    private void ClipToBox(ReadOnlySpan<float> source, Span<float> destination)
    {
        var low = _actionBox!.Low;
        var high = _actionBox.High;
        for (var i = 0; i < source.Length; i++)
        {
            var j = i % ActionSize;
            destination[i] = Math.Clamp(source[i], low[j], high[j]);
        }
    }
}
