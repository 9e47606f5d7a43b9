using RlExperiments.Tensors;

namespace RlExperiments.Agents.Buffers;

/// <summary>
/// A batch of transitions sampled from a <see cref="ReplayBuffer"/>. Its tensors are allocated once, outside
/// every <see cref="TensorScope"/>, and each <see cref="ReplayBuffer.Sample"/> overwrites them in place, so
/// sampling allocates nothing. Column tensors are <c>[B, 1]</c> so they combine with <c>[B, 1]</c> Q-values
/// without broadcasting surprises.
/// </summary>
/// <remarks>
/// With n-step returns, row i describes <c>k ≤ n</c> consecutive steps of one environment:
/// <see cref="Rewards"/> holds <c>Σ_{j&lt;k} γ^j r_{t+j}</c>, <see cref="NextObs"/> the observation after the
/// last of them, <see cref="Dones"/> whether that last step terminated, and <see cref="Discounts"/> <c>γ^k</c>,
/// so the target is always <c>Rewards + Discounts · (1 − Dones) · V(NextObs)</c>.
/// </remarks>
public sealed class ReplayBatch
{
    /// <summary>Allocates a batch of <paramref name="batchSize"/> rows.</summary>
    public ReplayBatch(int batchSize, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        Size = batchSize;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Obs = Persistent([batchSize, observationSize]);
        Actions = Persistent([batchSize, actionSize]);
        Rewards = Persistent([batchSize, 1]);
        NextObs = Persistent([batchSize, observationSize]);
        Dones = Persistent([batchSize, 1]);
        Discounts = Persistent([batchSize, 1]);
        Weights = Persistent([batchSize, 1]);
        Weights.Fill(1f);
        Indices = new int[batchSize];
    }

    /// <summary>Rows in the batch, B.</summary>
    public int Size { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action (1 for a discrete action, which is stored as an integer-valued float).</summary>
    public int ActionSize { get; }

    /// <summary>Observations, <c>[B, ObservationSize]</c>.</summary>
    public Tensor Obs { get; }

    /// <summary>Actions as stored, <c>[B, ActionSize]</c> (discrete: the action index; continuous: scaled to (−1, 1)).</summary>
    public Tensor Actions { get; }

    /// <summary>The (n-step discounted) rewards, <c>[B, 1]</c>.</summary>
    public Tensor Rewards { get; }

    /// <summary>The observation to bootstrap from, <c>[B, ObservationSize]</c>.</summary>
    public Tensor NextObs { get; }

    /// <summary>1 where the last step of the row terminated (no bootstrapping), else 0; truncation counts as 0. <c>[B, 1]</c>.</summary>
    public Tensor Dones { get; }

    /// <summary><c>γ^k</c> for a row spanning k steps, <c>[B, 1]</c>.</summary>
    public Tensor Discounts { get; }

    /// <summary>Importance-sampling weights (all 1 for uniform sampling), <c>[B, 1]</c>.</summary>
    public Tensor Weights { get; }

    /// <summary>The buffer index each row came from (for priority updates).</summary>
    public int[] Indices { get; }

    // Created and copied out so the tensor never belongs to a pooling scope that happens to be open.
    private static Tensor Persistent(ReadOnlySpan<int> shape) => Tensor.Zeros(shape).Clone();
}
