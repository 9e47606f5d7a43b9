using System.Runtime.ExceptionServices;

namespace RlExperiments.Environments.Vector;

/// <summary>
/// Spreads its environments over persistent worker threads (the role of Gymnasium's <c>AsyncVectorEnv</c> /
/// Stable-Baselines3's <c>SubprocVecEnv</c>, but in-process), with same-step auto-reset (see
/// <see cref="VectorEnv"/>). Environments are split into contiguous partitions, one per thread; the calling
/// thread runs the first partition itself while background threads run the others, then waits for them.
/// </summary>
/// <remarks>
/// <para>No allocation per step: the threads are created once and woken through preallocated signals that
/// spin briefly and then block on a monitor, with no Task per step.</para>
/// <para><b>When to pick which</b>: every vector step pays a hand-off to the workers and back (a few
/// microseconds while they spin, tens once they have gone to sleep), so this wins only when one partition's
/// step costs clearly more than that and cores are free: environments of tens of microseconds per step or
/// more (physics engines, simulators, an AutoRL step that trains an agent). For the classic-control tasks
/// (0.03 - 0.4 µs per step) use <see cref="SequentialVectorEnv"/>. Measured on the project's 2-core machine
/// (shared with other builds) with 8 environments: CartPole-v1 ran about 18x and Acrobot-v1 about 4.6x
/// faster sequentially, and a synthetic 20 µs-per-step environment only broke even.</para>
/// <para>An exception in any environment is rethrown from Step/Reset after all partitions finish; the
/// vector env should then be Reset. Dispose stops the threads.</para>
/// </remarks>
public sealed class ParallelVectorEnv : VectorEnv
{
    private readonly int[] _bounds;
    private readonly Worker[] _workers;
    private readonly WorkSignal _allDone;
    private VectorCommand _command;
    private int _pending;
    private volatile bool _stopping;
    private bool _disposed;

    /// <summary>Steps <paramref name="envs"/> on up to <paramref name="threads"/> threads (default: one per core, at most one per environment), the calling thread included.</summary>
    /// <param name="envs">The environments: same spaces, distinct instances.</param>
    /// <param name="threads">Threads to use, the caller's included; null for <c>min(Environment.ProcessorCount, N)</c>.</param>
    /// <param name="spinCount">How many <see cref="SpinWait.SpinOnce(int)"/> rounds a waiting thread spins before blocking (0-10000); spinning shortens hand-offs but burns a core while the caller computes actions.</param>
    public ParallelVectorEnv(IReadOnlyList<Env> envs, int? threads = null, int spinCount = DefaultSpinCount) : base(envs)
    {
        var partitions = threads ?? Math.Min(Environment.ProcessorCount, NumEnvs);
        if (partitions < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        if (spinCount is < 0 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(spinCount), spinCount, "spinCount must be in [0, 10000].");
        partitions = Math.Min(partitions, NumEnvs);
        Threads = partitions;

        _bounds = new int[partitions + 1];
        for (var p = 0; p <= partitions; p++)
            _bounds[p] = (int)((long)NumEnvs * p / partitions);

        _allDone = new WorkSignal(spinCount);
        _workers = new Worker[partitions - 1];
        for (var w = 0; w < _workers.Length; w++)
        {
            var worker = new Worker(this, _bounds[w + 1], _bounds[w + 2], spinCount);
            _workers[w] = worker;
            worker.Thread.Start();
        }
    }

    /// <summary>Creates <paramref name="numEnvs"/> environments with <paramref name="factory"/>(i) (see the main constructor).</summary>
    public ParallelVectorEnv(Func<int, Env> factory, int numEnvs, int? threads = null, int spinCount = DefaultSpinCount)
        : this(SequentialVectorEnv.Create(factory, numEnvs), threads, spinCount) { }

    /// <summary>The default number of spin rounds before a waiting thread blocks.</summary>
    public const int DefaultSpinCount = 100;

    /// <summary>The number of threads stepping environments, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Bytes allocated so far by the background worker threads (sum of their
    /// <see cref="GC.GetAllocatedBytesForCurrentThread"/> counters as of their last finished command), for
    /// checking that environments stay allocation-free; add the calling thread's own counter for the total.
    /// </summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (var worker in _workers)
                sum += Volatile.Read(ref worker.AllocatedBytes);
            return sum;
        }
    }

    private protected override void Execute(VectorCommand command)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _command = command;
        if (_workers.Length > 0)
        {
            Volatile.Write(ref _pending, _workers.Length);
            foreach (var worker in _workers)
                worker.Start.Set();
        }

        ExceptionDispatchInfo? error = null;
        try
        {
            Run(command, _bounds[0], _bounds[1]);
        }
        catch (Exception e)
        {
            error = ExceptionDispatchInfo.Capture(e);
        }

        if (_workers.Length > 0)
            _allDone.Wait();
        foreach (var worker in _workers)
        {
            if (worker.Error is not null)
            {
                error ??= worker.Error;
                worker.Error = null;
            }
        }
        error?.Throw();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stopping = true;
            foreach (var worker in _workers)
                worker.Start.Set();
            foreach (var worker in _workers)
                worker.Thread.Join();
        }
        base.Dispose(disposing);
    }

    private sealed class Worker
    {
        private readonly ParallelVectorEnv _owner;
        private readonly int _start;
        private readonly int _end;

        public Worker(ParallelVectorEnv owner, int start, int end, int spinCount)
        {
            _owner = owner;
            _start = start;
            _end = end;
            Start = new WorkSignal(spinCount);
            Thread = new Thread(Loop) { IsBackground = true, Name = $"ParallelVectorEnv[{start}..{end})" };
        }

        public WorkSignal Start { get; }

        public Thread Thread { get; }

        public ExceptionDispatchInfo? Error { get; set; }

        public long AllocatedBytes;

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                if (_owner._stopping)
                    return;
                try
                {
                    _owner.Run(_owner._command, _start, _end);
                }
                catch (Exception e)
                {
                    Error = ExceptionDispatchInfo.Capture(e);
                }
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                if (Interlocked.Decrement(ref _owner._pending) == 0)
                    _owner._allDone.Set();
            }
        }
    }
}
