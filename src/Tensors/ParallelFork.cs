using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

/// <summary>A part started by <see cref="TensorParallel.Fork"/>: call <see cref="Join"/> exactly once.</summary>
public readonly struct ParallelFork
{
    private readonly IParallelWork? _work;
    private readonly bool _onWorker;

    internal ParallelFork(IParallelWork work, bool onWorker) => (_work, _onWorker) = (work, onWorker);

    /// <summary>Whether the part was handed to a worker (false: it runs on the calling thread at <see cref="Join"/>).</summary>
    public bool OnWorker => _onWorker;

    /// <summary>Waits for the part, computing it here if no worker took it, and rethrows its exception.</summary>
    public void Join()
    {
        if (_onWorker)
        {
            WorkerPool.Join();
        }
        else
        {
            _work?.Run(0);
        }
    }
}
