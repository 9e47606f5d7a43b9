namespace RlExperiments.Agents.Training;

/// <summary>
/// Where training loops send scalar metrics (losses, returns, entropy, learning rate, ...). The
/// experiments layer plugs TensorBoard/CSV/console writers in here; agents never know which.
/// Tags are constant strings, so writing allocates nothing.
/// </summary>
public interface IMetricsSink
{
    /// <summary>Records <paramref name="value"/> under <paramref name="tag"/> (e.g. <c>"train/loss"</c>) at environment step <paramref name="envStep"/>.</summary>
    void Write(string tag, double value, long envStep);

    /// <summary>Makes everything written so far durable (called at the end of each epoch).</summary>
    void Flush();
}

/// <summary>A sink that discards everything.</summary>
public sealed class NullMetricsSink : IMetricsSink
{
    /// <summary>The shared instance.</summary>
    public static NullMetricsSink Instance { get; } = new();

    /// <inheritdoc />
    public void Write(string tag, double value, long envStep) { }

    /// <inheritdoc />
    public void Flush() { }
}
