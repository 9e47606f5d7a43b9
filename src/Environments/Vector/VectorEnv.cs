using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Vector;

/// <summary>
/// N environments stepping together over contiguous buffers that the vector env owns and overwrites on every
/// <see cref="Reset"/> and Step (row i of an <c>[N * size]</c> buffer belongs to environment i). Copy out what
/// you need to keep. Steady-state stepping allocates nothing.
/// </summary>
/// <remarks>
/// <para><b>Same-step auto-reset</b> (Stable-Baselines3's <c>VecEnv</c> semantics, not Gymnasium 1.x's
/// next-step default): when environment i terminates or is truncated during <c>Step</c>, within that same call
/// its last observation is copied to row i of <see cref="FinalObservations"/>, its episode return and length
/// go to <see cref="EpisodeReturns"/>/<see cref="EpisodeLengths"/>, it is reset (continuing its own random
/// stream), and row i of <see cref="Observations"/> holds the <i>new</i> episode's first observation.
/// <see cref="Rewards"/>, <see cref="Terminated"/> and <see cref="Truncated"/> row i describe the transition that
/// ended the episode. So an agent bootstraps a truncated episode from <see cref="FinalObservations"/> row i
/// and does not bootstrap a terminated one. Rows of the final-observation and episode buffers are valid only
/// where <see cref="Dones"/>[i] is true at this step; elsewhere they hold stale values.</para>
/// <para><b>Seeding</b>: <c>Reset(seed)</c> resets environment i with <c>seed + i</c>; <c>Reset()</c> and
/// auto-resets continue each environment's generator.</para>
/// <para>Both flags can be true at once (a terminal state reached exactly at the time limit): treat that as
/// terminated. Episode returns are sums of the rewards the (possibly wrapped) environments return: with
/// <see cref="Wrappers.NormalizeReward"/> in the stack they are normalised returns. The per-environment
/// <see cref="Env.Info"/> is cleared by the auto-reset; the episode buffers here replace Gymnasium's
/// <c>info["episode"]</c>.</para>
/// </remarks>
public abstract class VectorEnv : IDisposable
{
    private readonly Env[] _envs;
    private readonly int[] _discreteActions;
    private readonly float[] _continuousActions;
    private readonly double[] _runningReturns;
    private readonly int[] _runningLengths;
    private bool _hasReset;
    private int? _resetSeed;
    private IReadOnlyDictionary<string, object?>? _resetOptions;

    /// <summary>The work a vector step hands to <see cref="Execute"/>.</summary>
    private protected enum VectorCommand : byte
    {
        /// <summary>Reset every environment.</summary>
        Reset,
        /// <summary>Step with the discrete actions.</summary>
        StepDiscrete,
        /// <summary>Step with the continuous actions.</summary>
        StepContinuous,
    }

    private protected VectorEnv(IReadOnlyList<Env> envs)
    {
        ArgumentNullException.ThrowIfNull(envs);
        if (envs.Count == 0)
            throw new ArgumentException("A vector env needs at least one environment.", nameof(envs));
        _envs = envs.ToArray();
        for (var i = 0; i < _envs.Length; i++)
        {
            if (_envs[i] is null)
                throw new ArgumentException($"envs[{i}] is null.", nameof(envs));
            if (!_envs[i].ObservationSpace.Equals(_envs[0].ObservationSpace) || !_envs[i].ActionSpace.Equals(_envs[0].ActionSpace))
                throw new ArgumentException(
                    $"envs[{i}] has spaces {_envs[i].ObservationSpace} / {_envs[i].ActionSpace}, unlike envs[0]'s {_envs[0].ObservationSpace} / {_envs[0].ActionSpace}.", nameof(envs));
            for (var j = 0; j < i; j++)
                if (ReferenceEquals(_envs[i], _envs[j]))
                    throw new ArgumentException($"envs[{j}] and envs[{i}] are the same instance; each slot needs its own environment.", nameof(envs));
        }

        NumEnvs = _envs.Length;
        SingleObservationSpace = _envs[0].ObservationSpace;
        SingleActionSpace = _envs[0].ActionSpace;
        ObservationSize = SingleObservationSpace.FlatSize;
        ActionSize = SingleActionSpace.FlatSize;

        Observations = new float[NumEnvs * ObservationSize];
        FinalObservations = new float[NumEnvs * ObservationSize];
        Rewards = new float[NumEnvs];
        Terminated = new bool[NumEnvs];
        Truncated = new bool[NumEnvs];
        Dones = new bool[NumEnvs];
        EpisodeReturns = new double[NumEnvs];
        EpisodeLengths = new int[NumEnvs];
        _runningReturns = new double[NumEnvs];
        _runningLengths = new int[NumEnvs];
        _discreteActions = new int[NumEnvs];
        _continuousActions = new float[NumEnvs * ActionSize];
    }

    /// <summary>The number of environments, N.</summary>
    public int NumEnvs { get; }

    /// <summary>The observation space of one environment.</summary>
    public Space SingleObservationSpace { get; }

    /// <summary>The action space of one environment.</summary>
    public Space SingleActionSpace { get; }

    /// <summary>Floats per observation row.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per continuous action row (1 for a discrete action space).</summary>
    public int ActionSize { get; }

    /// <summary>The environments, in slot order (do not step them directly).</summary>
    public IReadOnlyList<Env> Envs => _envs;

    /// <summary><c>[N * ObservationSize]</c>: the current observations; after an auto-reset, the new episode's first one.</summary>
    public float[] Observations { get; }

    /// <summary><c>[N * ObservationSize]</c>: row i is the true last observation of the episode that ended at this step (valid where <see cref="Dones"/>[i]).</summary>
    public float[] FinalObservations { get; }

    /// <summary><c>[N]</c>: the rewards of this step (float32, as Stable-Baselines3).</summary>
    public float[] Rewards { get; }

    /// <summary><c>[N]</c>: environment i reached a terminal state at this step (do not bootstrap).</summary>
    public bool[] Terminated { get; }

    /// <summary><c>[N]</c>: environment i was truncated at this step (bootstrap from <see cref="FinalObservations"/>).</summary>
    public bool[] Truncated { get; }

    /// <summary><c>[N]</c>: <c>Terminated[i] || Truncated[i]</c>; environment i was auto-reset in this step.</summary>
    public bool[] Dones { get; }

    /// <summary><c>[N]</c>: the return of the episode that ended at this step (valid where <see cref="Dones"/>[i]).</summary>
    public double[] EpisodeReturns { get; }

    /// <summary><c>[N]</c>: the length of the episode that ended at this step (valid where <see cref="Dones"/>[i]).</summary>
    public int[] EpisodeLengths { get; }

    /// <summary>Resets every environment (environment i with <c>seed + i</c> when a seed is given) and fills <see cref="Observations"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative or <c>seed + N - 1</c> overflows.</exception>
    public void Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (seed is { } s && (s < 0 || s > int.MaxValue - (NumEnvs - 1)))
            throw new ArgumentOutOfRangeException(nameof(seed), s, $"seed must be in [0, {int.MaxValue - (NumEnvs - 1)}] so that seed + i fits for all {NumEnvs} environments.");
        _resetSeed = seed;
        _resetOptions = options;
        Array.Clear(_runningReturns);
        Array.Clear(_runningLengths);
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
        Array.Clear(Dones);
        _hasReset = false;
        Execute(VectorCommand.Reset);
        _resetOptions = null;
        _hasReset = true;
    }

    /// <summary>Steps every environment with its discrete action (<c>actions[i]</c> for environment i), auto-resetting those that end.</summary>
    /// <exception cref="ArgumentException"><paramref name="actions"/> does not have N elements.</exception>
    /// <exception cref="InvalidOperationException">Called before <see cref="Reset"/>, or the action space is continuous.</exception>
    public void Step(ReadOnlySpan<int> actions)
    {
        CheckReset();
        if (SingleActionSpace is not Discrete)
            throw new InvalidOperationException($"The action space is {SingleActionSpace}: call Step(ReadOnlySpan<float>) with N * {ActionSize} floats.");
        if (actions.Length != NumEnvs)
            throw new ArgumentException($"Expected {NumEnvs} actions (one per environment); got {actions.Length}.", nameof(actions));
        actions.CopyTo(_discreteActions);
        Execute(VectorCommand.StepDiscrete);
    }

    /// <summary>Steps every environment with its continuous action (row i of the <c>[N * ActionSize]</c> span), auto-resetting those that end.</summary>
    /// <exception cref="ArgumentException"><paramref name="actions"/> does not have N * ActionSize elements.</exception>
    /// <exception cref="InvalidOperationException">Called before <see cref="Reset"/>, or the action space is discrete.</exception>
    public void Step(ReadOnlySpan<float> actions)
    {
        CheckReset();
        if (SingleActionSpace is not Box)
            throw new InvalidOperationException($"The action space is {SingleActionSpace}: call Step(ReadOnlySpan<int>) with one int per environment.");
        if (actions.Length != _continuousActions.Length)
            throw new ArgumentException($"Expected {NumEnvs} x {ActionSize} = {_continuousActions.Length} floats; got {actions.Length}.", nameof(actions));
        actions.CopyTo(_continuousActions);
        Execute(VectorCommand.StepContinuous);
    }

    /// <summary>
    /// Writes the vector env's state for a checkpoint: the current observations, the running episode returns and
    /// lengths, and every environment's own state (<see cref="Env.WriteCheckpointState"/>). Call between steps.
    /// </summary>
    public void WriteCheckpointState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(NumEnvs);
        writer.Write(ObservationSize);
        writer.Write(_hasReset);
        foreach (var o in Observations) writer.Write(o);
        for (var i = 0; i < NumEnvs; i++)
        {
            writer.Write(_runningReturns[i]);
            writer.Write(_runningLengths[i]);
        }
        foreach (var env in _envs) env.WriteCheckpointState(writer);
    }

    /// <summary>Restores a state written by <see cref="WriteCheckpointState"/> into a vector env built the same way.</summary>
    /// <exception cref="InvalidDataException">The state was written by a vector env of another shape.</exception>
    public void ReadCheckpointState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var n = reader.ReadInt32();
        var size = reader.ReadInt32();
        if (n != NumEnvs || size != ObservationSize)
            throw new InvalidDataException($"The checkpoint holds {n} environments with {size} observation values; this vector env has {NumEnvs} with {ObservationSize}.");
        _hasReset = reader.ReadBoolean();
        for (var i = 0; i < Observations.Length; i++) Observations[i] = reader.ReadSingle();
        for (var i = 0; i < NumEnvs; i++)
        {
            _runningReturns[i] = reader.ReadDouble();
            _runningLengths[i] = reader.ReadInt32();
        }
        foreach (var env in _envs) env.ReadCheckpointState(reader);
        Array.Clear(Dones);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
    }

    /// <summary>Disposes the environments (and, for the parallel one, stops its worker threads).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the environments.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var env in _envs)
                env.Dispose();
    }

    /// <summary>Runs <paramref name="command"/> for every environment, e.g. by calling <see cref="Run"/> over partitions.</summary>
    private protected abstract void Execute(VectorCommand command);

    /// <summary>Runs <paramref name="command"/> for environments <c>[start, end)</c>; touches only their rows.</summary>
    private protected void Run(VectorCommand command, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            switch (command)
            {
                case VectorCommand.Reset:
                    _envs[i].Reset(Observations.AsSpan(i * ObservationSize, ObservationSize), _resetSeed + i, _resetOptions);
                    break;
                case VectorCommand.StepDiscrete:
                    Complete(i, _envs[i].Step(_discreteActions[i], Observations.AsSpan(i * ObservationSize, ObservationSize)));
                    break;
                default:
                    Complete(i, _envs[i].Step(
                        new ReadOnlySpan<float>(_continuousActions, i * ActionSize, ActionSize),
                        Observations.AsSpan(i * ObservationSize, ObservationSize)));
                    break;
            }
        }
    }

    private void Complete(int i, StepResult result)
    {
        Rewards[i] = (float)result.Reward;
        Terminated[i] = result.Terminated;
        Truncated[i] = result.Truncated;
        _runningReturns[i] += result.Reward;
        _runningLengths[i]++;
        var done = result.Terminated || result.Truncated;
        Dones[i] = done;
        if (!done)
            return;
        var row = Observations.AsSpan(i * ObservationSize, ObservationSize);
        row.CopyTo(FinalObservations.AsSpan(i * ObservationSize, ObservationSize));
        EpisodeReturns[i] = _runningReturns[i];
        EpisodeLengths[i] = _runningLengths[i];
        _runningReturns[i] = 0;
        _runningLengths[i] = 0;
        _envs[i].Reset(row);
    }

    private void CheckReset()
    {
        if (!_hasReset)
            throw new InvalidOperationException("Call Reset on the vector env before the first Step.");
    }
}
