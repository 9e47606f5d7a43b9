namespace RlExperiments.Tensors;

/// <summary>Per-thread switch for graph recording (see <see cref="Tensor.NoGrad"/>).</summary>
internal static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    public static bool IsEnabled => t_disabledDepth == 0;

    public static GradModeScope Disable()
    {
        t_disabledDepth++;
        return new GradModeScope(true);
    }

    internal static void Restore() => t_disabledDepth--;
}

/// <summary>Re-enables graph recording when disposed; returned by <see cref="Tensor.NoGrad"/>.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _active;

    internal GradModeScope(bool active) => _active = active;

    /// <summary>Ends the no-grad region.</summary>
    public void Dispose()
    {
        if (_active) GradMode.Restore();
    }
}
