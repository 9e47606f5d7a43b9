using RlExperiments.Core;

namespace RlExperiments.Agents.Buffers;

/// <summary>
/// Proportional prioritised experience replay (Schaul et al. 2016, as in Tianshou's
/// <c>PrioritizedReplayBuffer</c> and OpenAI Baselines): transition i is sampled with probability
/// <c>P(i) = p_i / Σ p</c>, where <c>p_i = (|δ_i| + ε)^α</c> comes from its last TD error and new transitions get the
/// largest priority seen so far. Each sampled row carries the importance weight
/// <c>w_i = (N·P(i))^−β / max_j (N·P(j))^−β = (p_i / p_min)^−β</c>, normalised by the largest weight so it is at
/// most 1; β is annealed linearly from <see cref="Beta0"/> to 1 over training (<see cref="AnnealBeta"/>).
/// </summary>
/// <remarks>Sampling is stratified: the total mass is cut into B equal segments and one transition is drawn from
/// each, which lowers the variance of a batch. Sampling and priority updates allocate nothing.</remarks>
public sealed class PrioritizedReplayBuffer : ReplayBuffer
{
    private readonly SumTree _sum;
    private readonly MinTree _min;

    /// <summary>Creates an empty buffer; see <see cref="ReplayBuffer"/> for the shared parameters.</summary>
    /// <param name="capacity">Transitions kept.</param>
    /// <param name="observationSize">Floats per observation.</param>
    /// <param name="actionSize">Floats per action.</param>
    /// <param name="numEnvs">Environments per vector step.</param>
    /// <param name="nStep">Steps per sampled return.</param>
    /// <param name="gamma">Discount factor of the n-step returns.</param>
    /// <param name="alpha">Prioritisation exponent α in [0, ∞): 0 is uniform sampling (Schaul et al. use 0.6).</param>
    /// <param name="beta0">Initial importance-sampling exponent β in [0, 1] (Schaul et al. use 0.4).</param>
    /// <param name="epsilon">Added to |δ| so no transition gets zero priority; &gt; 0.</param>
    public PrioritizedReplayBuffer(int capacity, int observationSize, int actionSize, int numEnvs = 1, int nStep = 1,
        double gamma = 0.99, double alpha = 0.6, double beta0 = 0.4, double epsilon = 1e-6)
        : base(capacity, observationSize, actionSize, numEnvs, nStep, gamma)
    {
        if (!(alpha >= 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number ≥ 0.");
        if (!(beta0 >= 0 && beta0 <= 1)) throw new ArgumentOutOfRangeException(nameof(beta0), beta0, "beta0 must lie in [0, 1].");
        if (!(epsilon > 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number > 0.");
        Alpha = alpha;
        Beta0 = beta0;
        Beta = beta0;
        Epsilon = epsilon;
        _sum = new SumTree(Capacity);
        _min = new MinTree(Capacity);
    }

    /// <summary>The prioritisation exponent α.</summary>
    public double Alpha { get; }

    /// <summary>The importance-sampling exponent at the start of training.</summary>
    public double Beta0 { get; }

    /// <summary>The current importance-sampling exponent β (see <see cref="AnnealBeta"/>).</summary>
    public double Beta
    {
        get;
        set
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(Beta), value, "Beta must lie in [0, 1].");
            field = value;
        }
    }

    /// <summary>The constant added to |δ| before exponentiation.</summary>
    public double Epsilon { get; }

    /// <summary>The largest <c>|δ| + ε</c> seen so far (1 initially): what new transitions are given, before the exponent α.</summary>
    public double MaxPriority { get; private set; } = 1.0;

    /// <summary>Sets β = β₀ + (1 − β₀)·min(1, <paramref name="progress"/>), the linear annealing to 1 over training.</summary>
    public void AnnealBeta(double progress) => Beta = Beta0 + (1 - Beta0) * Math.Clamp(progress, 0, 1);

    /// <summary>The stored priority <c>p_i = (|δ_i| + ε)^α</c> of transition <paramref name="index"/>.</summary>
    public double PriorityAt(int index) => _sum[index];

    /// <summary>The sum of all stored priorities.</summary>
    public double TotalPriority => _sum.Total;

    /// <inheritdoc />
    protected override void OnAdded(int start, int count)
    {
        var p = Math.Pow(MaxPriority, Alpha);
        for (var i = start; i < start + count; i++)
        {
            _sum[i] = p;
            _min[i] = p;
        }
    }

    /// <summary>
    /// Fills <paramref name="batch"/> by stratified proportional sampling and writes the normalised importance weights
    /// <c>(p_i / p_min)^−β</c> into <see cref="ReplayBatch.Weights"/>. Allocates nothing.
    /// </summary>
    public override void Sample(ReplayBatch batch, Rng rng)
    {
        ValidateBatch(batch);
        ArgumentNullException.ThrowIfNull(rng);
        if (Count == 0) throw new InvalidOperationException("Cannot sample from an empty replay buffer.");
        var total = _sum.Total;
        var segment = total / batch.Size;
        var pMin = _min.Min;
        var weights = batch.Weights.Data;
        for (var b = 0; b < batch.Size; b++)
        {
            var index = _sum.Find((b + rng.NextDouble()) * segment);
            FillRow(batch, b, index);
            weights[b] = (float)Math.Pow(_sum[index] / pMin, -Beta);
        }
    }

    /// <summary>
    /// Sets the priorities of the sampled transitions from their new TD errors: <c>p_i = (|δ_i| + ε)^α</c>, and raises
    /// <see cref="MaxPriority"/>. Pass <see cref="ReplayBatch.Indices"/> and the batch's TD errors.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or a TD error is not finite (nothing is changed).</exception>
    public void UpdatePriorities(ReadOnlySpan<int> indices, ReadOnlySpan<float> tdErrors)
    {
        if (indices.Length != tdErrors.Length)
            throw new ArgumentException($"{indices.Length} indices but {tdErrors.Length} TD errors.", nameof(tdErrors));
        // Every pair is checked before any is applied, so a refused update changes nothing.
        for (var i = 0; i < indices.Length; i++)
        {
            if (!float.IsFinite(tdErrors[i]))
                throw new ArgumentException($"TD error {i} is {tdErrors[i]}; priorities must come from finite errors.", nameof(tdErrors));
            if ((uint)indices[i] >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"index must be in [0, {Count}).");
        }
        for (var i = 0; i < indices.Length; i++)
        {
            var raw = Math.Abs(tdErrors[i]) + Epsilon;
            if (raw > MaxPriority) MaxPriority = raw;
            var p = Math.Pow(raw, Alpha);
            _sum[indices[i]] = p;
            _min[indices[i]] = p;
        }
    }

    /// <inheritdoc />
    protected override void SaveExtra(string directory)
    {
        var n = Count;
        var priorities = new double[n];
        for (var i = 0; i < n; i++) priorities[i] = _sum[i];
        WriteArray(Path.Combine(directory, "priorities.f64"), priorities, n);
    }

    /// <inheritdoc />
    protected override Dictionary<string, double>? ExtraMeta() => new() { ["MaxPriority"] = MaxPriority, ["Beta"] = Beta };

    /// <inheritdoc />
    protected override Action? LoadExtra(string directory, int count, IReadOnlyDictionary<string, double>? extra)
    {
        var priorities = ReadArray<double>(Path.Combine(directory, "priorities.f64"), count);
        if (extra is null || !extra.TryGetValue("MaxPriority", out var maxPriority) || !(maxPriority > 0))
            throw new InvalidDataException($"'{directory}/meta.json' lacks a positive MaxPriority for the prioritised buffer.");
        var beta = extra.TryGetValue("Beta", out var b) && b is >= 0 and <= 1 ? b : Beta0;
        foreach (var p in priorities)
            if (!(p > 0) || double.IsInfinity(p))
                throw new InvalidDataException($"'{directory}/priorities.f64' holds the priority {p}; priorities must be finite and > 0.");
        return () =>
        {
            for (var i = 0; i < Capacity; i++)
            {
                _sum[i] = i < count ? priorities[i] : 0;
                _min[i] = i < count ? priorities[i] : double.PositiveInfinity;
            }
            MaxPriority = maxPriority;
            Beta = beta;
        };
    }
}
