namespace RlExperiments.Tensors;

/// <summary>
/// A pooling scope opened by <see cref="Tensor.Scope"/>. Tensors created while it is open are
/// recycled when it is disposed, which makes repeated training steps allocation-free. Scopes nest
/// and must be disposed innermost first, on the thread that opened them.
/// </summary>
public readonly struct TensorScope : IDisposable
{
    private readonly int _mark;
    private readonly int _depth;

    internal TensorScope(int mark, int depth)
    {
        _mark = mark;
        _depth = depth;
    }

    /// <summary>Returns every tensor created in this scope (except those moved out) to the pool.</summary>
    public void Dispose()
    {
        if (_depth > 0) TensorPool.CloseScope(_mark, _depth);
    }
}
