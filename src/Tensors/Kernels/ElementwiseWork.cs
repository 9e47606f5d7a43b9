namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Elementwise work over a fixed list of tensors (an optimiser's step, a soft update), run as one share of their
/// elements per core through <see cref="TensorParallel.Run"/> when there are enough of them (<see cref="ElementShares"/>):
/// the same bits on any number of threads.
/// </summary>
internal abstract class ElementwiseWork(IReadOnlyList<Tensor> tensors) : IParallelWork
{
    private readonly ElementShares _shares = new(tensors);
    private int _parts;

    /// <summary>The tensors the work runs over.</summary>
    protected IReadOnlyList<Tensor> Tensors { get; } = tensors;

    /// <summary>Calls <see cref="Piece"/> over every element of the tensors, split into shares across the cores.</summary>
    public void RunShares()
    {
        _parts = _shares.Parts;
        TensorParallel.Run(this, _parts);
    }

    /// <inheritdoc />
    public void Run(int part)
    {
        foreach (var (tensor, start, length) in _shares.Pieces(part, _parts))
        {
            Piece(tensor, start, length);
        }
    }

    /// <summary>Does the work on elements [<paramref name="start"/>, + <paramref name="length"/>) of tensor <paramref name="tensor"/>.</summary>
    protected abstract void Piece(int tensor, int start, int length);
}
