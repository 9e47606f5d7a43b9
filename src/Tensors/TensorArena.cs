namespace RlExperiments.Tensors;

/// <summary>
/// A tensor pool of its own, used instead of the calling thread's pool while activated. A part of a
/// <see cref="TensorParallel"/> job may run on a different thread at each call; with an arena per part it can open a
/// <see cref="Tensor.Scope"/> in one call (say a forward pass whose graph a later backward pass needs) and close it in a
/// later call, because the scope belongs to the arena, not to the thread.
/// </summary>
/// <remarks>One thread at a time may activate an arena. Scopes opened in it must be disposed while it is active.</remarks>
public sealed class TensorArena
{
    internal TensorPool.State State { get; } = new();

    /// <summary>Makes this arena the calling thread's tensor pool until the returned value is disposed.</summary>
    public TensorArenaScope Activate() => new(TensorPool.Swap(State));
}

/// <summary>An activation of a <see cref="TensorArena"/>: disposing it gives the thread its own pool back.</summary>
public readonly struct TensorArenaScope : IDisposable
{
    private readonly TensorPool.State? _previous;

    internal TensorArenaScope(TensorPool.State? previous) => _previous = previous;

    /// <summary>Restores the pool the thread used before <see cref="TensorArena.Activate"/>.</summary>
    public void Dispose() => TensorPool.Swap(_previous);
}
