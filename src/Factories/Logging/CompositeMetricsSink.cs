using RlExperiments.Agents.Training;

namespace RlExperiments.Factories.Logging;

/// <summary>Forwards every write and flush to several sinks (e.g. TensorBoard and CSV), in order.</summary>
/// <remarks>A flush or dispose that fails in one sink still reaches the others; the failures are then rethrown
/// (one as itself, several as an <see cref="AggregateException"/>). Disposing disposes the sinks that are <see cref="IDisposable"/>.</remarks>
public sealed class CompositeMetricsSink : IMetricsSink, IDisposable
{
    private readonly IMetricsSink[] _sinks;

    /// <summary>Combines <paramref name="sinks"/>.</summary>
    public CompositeMetricsSink(params IEnumerable<IMetricsSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = sinks.ToArray();
        for (var i = 0; i < _sinks.Length; i++)
            if (_sinks[i] is null)
                throw new ArgumentException($"sinks[{i}] is null.", nameof(sinks));
    }

    /// <summary>The combined sinks.</summary>
    public IReadOnlyList<IMetricsSink> Sinks => _sinks;

    /// <inheritdoc />
    public void Write(string tag, double value, long envStep)
    {
        foreach (var sink in _sinks)
            sink.Write(tag, value, envStep);
    }

    /// <inheritdoc />
    public void Flush() => ForAll(static s => s.Flush());

    /// <summary>Disposes every sink that is <see cref="IDisposable"/>.</summary>
    public void Dispose() => ForAll(static s => (s as IDisposable)?.Dispose());

    private void ForAll(Action<IMetricsSink> action)
    {
        List<Exception>? errors = null;
        foreach (var sink in _sinks)
        {
            try { action(sink); }
            catch (Exception ex) { (errors ??= []).Add(ex); }
        }
        if (errors is { Count: 1 })
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(errors[0]);
        if (errors is not null)
            throw new AggregateException("Several metrics sinks failed.", errors);
    }
}
