using System.Runtime.CompilerServices;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// Shared machinery of the classic-control environments, and a convenient base for user environments
/// with a float64 physical state: seeding (<c>Reset(seed)</c> re-seeds <see cref="Rng"/>), the public
/// <see cref="State"/>, buffer checks, order enforcement (no Step before Reset or after termination)
/// and the reusable info object.
/// </summary>
/// <remarks>
/// Subclasses implement <see cref="ResetState"/>, <see cref="WriteObservation"/>, <see cref="GetState"/>,
/// <see cref="SetState"/> and one of the two <c>StepCore</c> overloads (which also writes the observation);
/// the public Step and Reset do the rest: order enforcement, buffer checks, seeding and clearing the info.
/// </remarks>
public abstract class ClassicControlEnv : Env
{
    private readonly EnvInfo _info = new();
    private readonly Space _observationSpace;
    private readonly Space _actionSpace;
    private readonly int _observationSize;
    private Rng? _rng;
    private EpisodePhase _phase;
    private int _steppableLength = -1; // the observation size while running, -1 otherwise: one compare checks both

    /// <summary>Creates the environment with its (immutable) spaces.</summary>
    protected ClassicControlEnv(Space observationSpace, Space actionSpace)
    {
        _observationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        _actionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        _observationSize = observationSpace.FlatSize;
    }

    private enum EpisodePhase : byte { NotStarted, Running, Terminated }

    /// <summary>The number of variables in <see cref="State"/>.</summary>
    public abstract int StateSize { get; }

    /// <summary>
    /// The physical state in Gymnasium's representation (e.g. CartPole's <c>[x, x_dot, theta, theta_dot]</c>).
    /// Getting returns a copy; setting places the system exactly there and lets Step continue from it
    /// (also after a termination), which is what tests and checkpoints need.
    /// </summary>
    /// <exception cref="ArgumentException">Set with the wrong number of values.</exception>
    public double[] State
    {
        get
        {
            var state = new double[StateSize];
            GetState(state);
            return state;
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != StateSize)
                throw new ArgumentException($"{Name} state has {StateSize} variables; got {value.Length}.", nameof(value));
            SetState(value);
            SetPhase(EpisodePhase.Running);
        }
    }

    /// <summary>
    /// The environment's random generator (Gymnasium's <c>np_random</c>): created from the seed on
    /// <c>Reset(seed)</c>, or from entropy on the first unseeded Reset. Save and restore it with
    /// <see cref="Core.Rng.GetState"/>/<see cref="Core.Rng.SetState"/> for checkpoints.
    /// </summary>
    public Rng Rng => _rng ??= new Rng(EntropySeed());

    /// <summary>True while an episode is running (reset and not terminated).</summary>
    public bool IsRunning => _phase == EpisodePhase.Running;

    /// <inheritdoc />
    public sealed override EnvInfo Info => _info;

    /// <inheritdoc />
    public sealed override Space ObservationSpace => _observationSpace;

    /// <inheritdoc />
    public sealed override Space ActionSpace => _actionSpace;

    /// <summary>The name used in error messages: the spec id when made by the registry, else the type name.</summary>
    protected string Name => Spec?.Id ?? GetType().Name;

    /// <inheritdoc />
    public sealed override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        CheckObservation(observation);
        if (seed is { } s)
        {
            if (s < 0)
                throw new ArgumentOutOfRangeException(nameof(seed), s, "seed must be non-negative (as in Gymnasium).");
            _rng = new Rng((ulong)s);
        }
        ResetState(Rng, options);
        SetPhase(EpisodePhase.Running);
        _info.Clear();
        WriteObservation(observation);
        return _info;
    }

    /// <inheritdoc />
    public sealed override StepResult Step(int action, Span<float> observation)
    {
        BeginStep(observation);
        return EndStep(StepCore(action, observation));
    }

    /// <inheritdoc />
    public sealed override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        BeginStep(observation);
        return EndStep(StepCore(action, observation));
    }

    /// <summary>Draws the initial state (Gymnasium's reset body) from <paramref name="rng"/>, honouring <paramref name="options"/>.</summary>
    protected abstract void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options);

    /// <summary>Writes the float32 observation of the current state.</summary>
    protected abstract void WriteObservation(Span<float> observation);

    /// <summary>Copies the state into <paramref name="destination"/> (<see cref="StateSize"/> long).</summary>
    protected abstract void GetState(Span<double> destination);

    /// <summary>Places the system at <paramref name="source"/> (<see cref="StateSize"/> long).</summary>
    protected abstract void SetState(ReadOnlySpan<double> source);

    /// <summary>
    /// Advances the physics for a discrete action and writes the new observation into
    /// <paramref name="observation"/> (already checked to have the right length); returns reward and
    /// termination (truncation is the time limit's business).
    /// </summary>
    protected virtual StepResult StepCore(int action, Span<float> observation) =>
        throw new InvalidOperationException(
            $"{Name} has a continuous action space {ActionSpace}: call Step(ReadOnlySpan<float> action, Span<float> observation).");

    /// <summary>
    /// Advances the physics for a continuous action and writes the new observation into
    /// <paramref name="observation"/> (already checked to have the right length); returns reward and termination.
    /// </summary>
    protected virtual StepResult StepCore(ReadOnlySpan<float> action, Span<float> observation) =>
        throw new InvalidOperationException(
            $"{Name} has a discrete action space {ActionSpace}: call Step(int action, Span<float> observation).");

    /// <summary>Throws the standard error for an invalid discrete action.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    protected ArgumentOutOfRangeException InvalidAction(int action) =>
        new(nameof(action), action, $"{Name} action must be in {ActionSpace} (0..{((Discrete)ActionSpace).N - 1}).");

    /// <summary>Checks that a continuous action has the action space's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void CheckActionLength(ReadOnlySpan<float> action, int expected)
    {
        if (action.Length != expected)
            ThrowActionLength(action.Length, expected);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BeginStep(Span<float> observation)
    {
        if (observation.Length != _steppableLength)
            ThrowCannotStep(observation.Length);
        _info.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private StepResult EndStep(StepResult result)
    {
        if (result.Terminated)
            SetPhase(EpisodePhase.Terminated);
        return result;
    }

    /// <summary>Writes the phase, the random generator and the physical state.</summary>
    public sealed override void WriteCheckpointState(BinaryWriter writer)
    {
        writer.Write((byte)_phase);
        writer.Write(_rng is not null);
        if (_rng is not null)
        {
            var r = _rng.GetState();
            writer.Write(r.S0); writer.Write(r.S1); writer.Write(r.S2); writer.Write(r.S3);
            writer.Write(r.Key); writer.Write(r.Spawned); writer.Write(r.HasSpareNormal); writer.Write(r.SpareNormal);
        }
        var state = new double[StateSize];
        GetState(state);
        writer.Write(state.Length);
        foreach (var v in state) writer.Write(v);
    }

    /// <summary>Restores what <see cref="WriteCheckpointState"/> wrote.</summary>
    public sealed override void ReadCheckpointState(BinaryReader reader)
    {
        var phase = (EpisodePhase)reader.ReadByte();
        if (reader.ReadBoolean())
        {
            var r = new RngState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
                reader.ReadUInt64(), reader.ReadInt64(), reader.ReadBoolean(), reader.ReadDouble());
            _rng = Rng.FromState(r);
        }
        else
        {
            _rng = null;
        }
        var n = reader.ReadInt32();
        if (n != StateSize) throw new InvalidDataException($"{Name} checkpoint state has {n} variables; expected {StateSize}.");
        var state = new double[n];
        for (var i = 0; i < n; i++) state[i] = reader.ReadDouble();
        SetState(state);
        SetPhase(phase);
    }

    private void SetPhase(EpisodePhase phase)
    {
        _phase = phase;
        _steppableLength = phase == EpisodePhase.Running ? _observationSize : -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCannotStep(int observationLength)
    {
        if (_phase != EpisodePhase.Running)
            ThrowNotRunning();
        ThrowObservationLength(observationLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckObservation(Span<float> observation)
    {
        if (observation.Length != _observationSize)
            ThrowObservationLength(observation.Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotRunning() => throw new InvalidOperationException(_phase == EpisodePhase.NotStarted
        ? $"{Name}: call Reset before the first Step."
        : $"{Name}: the episode has terminated; call Reset before calling Step again.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowObservationLength(int length) => throw new ArgumentException(
        $"The observation buffer has {length} floats; {Name} observations have {ObservationSize}.", "observation");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowActionLength(int length, int expected) => throw new ArgumentException(
        $"{Name} actions have {expected} element(s) ({ActionSpace}); got {length}.", "action");

    private static ulong EntropySeed() => (ulong)Random.Shared.NextInt64();
}
