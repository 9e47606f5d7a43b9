using RlExperiments.Tensors;

namespace RlExperiments.Agents.Buffers;

/// <summary>
/// One minibatch of a <see cref="RolloutBuffer"/>, in tensors allocated once and refilled in place (so the
/// update loop allocates nothing). The tensors are leaves without gradient; use them inside a
/// <see cref="Tensor.Scope"/> but never dispose or keep references to them across refills.
/// </summary>
public sealed class RolloutMinibatch
{
    private readonly int[] _indices;

    internal RolloutMinibatch(int size, int observationSize, int actionSize)
    {
        Size = size;
        _indices = new int[size];
        Observations = Persistent([size, observationSize]);
        Actions = Persistent([size, actionSize]);
        OldLogProbs = Persistent([size]);
        OldValues = Persistent([size]);
        Advantages = Persistent([size]);
        Returns = Persistent([size]);
    }

    // Clone gives storage outside every pool, so these survive any scope open while they are created.
    private static Tensor Persistent(ReadOnlySpan<int> shape) => Tensor.Zeros(shape).Clone();

    /// <summary>Number of transitions, B.</summary>
    public int Size { get; }

    /// <summary><c>[B, ObservationSize]</c>.</summary>
    public Tensor Observations { get; }

    /// <summary><c>[B, ActionSize]</c> (a discrete action is one integer-valued float per row).</summary>
    public Tensor Actions { get; }

    /// <summary><c>[B]</c>: log π_old(a|s) from acting.</summary>
    public Tensor OldLogProbs { get; }

    /// <summary><c>[B]</c>: V_old(s) from acting.</summary>
    public Tensor OldValues { get; }

    /// <summary><c>[B]</c>: GAE advantages (raw; normalise per minibatch if wanted).</summary>
    public Tensor Advantages { get; }

    /// <summary><c>[B]</c>: returns, the value target.</summary>
    public Tensor Returns { get; }

    /// <summary>The buffer rows (<c>t * NumEnvs + e</c>) this minibatch holds, in order.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    internal void SetIndices(ReadOnlySpan<int> indices) => indices.CopyTo(_indices);
}
