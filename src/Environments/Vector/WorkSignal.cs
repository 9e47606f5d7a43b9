namespace RlExperiments.Environments.Vector;

/// <summary>
/// An auto-reset signal between two threads that spins briefly and then blocks on a monitor, allocating
/// nothing after construction (unlike <see cref="ManualResetEventSlim"/>, which lazily allocates its lock
/// object the first time a thread really blocks).
/// </summary>
internal sealed class WorkSignal
{
    private readonly object _gate = new();
    private readonly int _spinIterations;
    private volatile bool _set;

    public WorkSignal(int spinIterations) => _spinIterations = spinIterations;

    /// <summary>Signals one waiter (or the next call to <see cref="Wait"/>).</summary>
    public void Set()
    {
        lock (_gate)
        {
            _set = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Waits until signalled, then clears the signal.</summary>
    public void Wait()
    {
        var spinner = new SpinWait();
        for (var i = 0; i < _spinIterations && !_set; i++)
            spinner.SpinOnce(sleep1Threshold: -1);
        if (!_set)
        {
            lock (_gate)
            {
                while (!_set)
                    Monitor.Wait(_gate);
            }
        }
        _set = false;
    }
}
