using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments;

/// <summary>
/// A reinforcement-learning environment with Gymnasium's contract (<c>gymnasium.Env</c>, 1.x):
/// <see cref="Reset"/> starts an episode, <see cref="Step(int, Span{float})"/> advances it and reports
/// reward, <c>Terminated</c> (a terminal MDP state) and <c>Truncated</c> (cut short from outside).
/// </summary>
/// <remarks>
/// <para>Observations are float32 vectors of <see cref="ObservationSize"/> elements written into a buffer
/// the caller owns, Step returns a 16-byte <see cref="StepResult"/> (reward, terminated, truncated) and the
/// info is the reusable <see cref="Info"/>: stepping allocates nothing, so agents can call it in tight loops. Discrete actions are ints (<see cref="Step(int, Span{float})"/>), continuous
/// actions float vectors (<see cref="Step(ReadOnlySpan{float}, Span{float})"/>); calling the overload that
/// does not match <see cref="ActionSpace"/> throws.</para>
/// <para>Stepping before the first Reset, or after an episode ended, throws an
/// <see cref="InvalidOperationException"/> that says to call Reset. An environment is not thread-safe.</para>
/// </remarks>
public abstract class Env : IDisposable
{
    /// <summary>The space observations belong to.</summary>
    public abstract Space ObservationSpace { get; }

    /// <summary>The space actions belong to (<see cref="Discrete"/> or <see cref="Box"/>).</summary>
    public abstract Space ActionSpace { get; }

    /// <summary>The number of floats in one observation: the length the observation buffer must have.</summary>
    public int ObservationSize => ObservationSpace.FlatSize;

    /// <summary>The registry entry this environment was made from (id, time limit, threshold, kwargs), or null when constructed directly.</summary>
    public virtual EnvSpec? Spec { get; set; }

    /// <summary>
    /// The info of the last Step or Reset (Gymnasium's <c>info</c>): one reusable object per environment that
    /// Reset returns and Step refreshes; read it after Step, before the next Step or Reset.
    /// </summary>
    public abstract EnvInfo Info { get; }

    /// <summary>The innermost environment below all wrappers (Gymnasium's <c>env.unwrapped</c>).</summary>
    public virtual Env Unwrapped => this;

    /// <summary>
    /// Starts a new episode and writes its first observation into <paramref name="observation"/>.
    /// </summary>
    /// <param name="observation">The caller's buffer of exactly <see cref="ObservationSize"/> floats.</param>
    /// <param name="seed">When given (non-negative), re-seeds the environment's generator, so the same seed gives the same episode; when null, the generator continues.</param>
    /// <param name="options">Environment-specific reset options as in Gymnasium (e.g. <c>"low"</c>/<c>"high"</c> bounds of the initial state); null for the defaults.</param>
    /// <returns>The info object (empty for the classic-control environments).</returns>
    public abstract EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null);

    /// <summary>Applies a discrete action and writes the next observation into <paramref name="observation"/>.</summary>
    /// <param name="action">An element of the <see cref="Discrete"/> action space.</param>
    /// <param name="observation">The caller's buffer of exactly <see cref="ObservationSize"/> floats.</param>
    public abstract StepResult Step(int action, Span<float> observation);

    /// <summary>Applies a continuous action and writes the next observation into <paramref name="observation"/>.</summary>
    /// <param name="action">A vector of the <see cref="Box"/> action space's size (out-of-range values are handled as the environment does in Gymnasium, usually clipped).</param>
    /// <param name="observation">The caller's buffer of exactly <see cref="ObservationSize"/> floats.</param>
    public abstract StepResult Step(ReadOnlySpan<float> action, Span<float> observation);

    /// <summary>
    /// Writes everything needed to continue this environment exactly (physical state, phase, random generator,
    /// wrapper counters and statistics) for a checkpoint. Read it back with <see cref="ReadCheckpointState"/> into an
    /// environment built the same way. Default: not supported (the message names the type).
    /// </summary>
    /// <exception cref="NotSupportedException">This environment cannot be checkpointed.</exception>
    public virtual void WriteCheckpointState(BinaryWriter writer) =>
        throw new NotSupportedException($"{GetType().Name} does not support checkpoint state; override WriteCheckpointState/ReadCheckpointState to resume runs with it.");

    /// <summary>Restores a state written by <see cref="WriteCheckpointState"/>.</summary>
    /// <exception cref="NotSupportedException">This environment cannot be checkpointed.</exception>
    public virtual void ReadCheckpointState(BinaryReader reader) =>
        throw new NotSupportedException($"{GetType().Name} does not support checkpoint state; override WriteCheckpointState/ReadCheckpointState to resume runs with it.");

    /// <summary>The first wrapper of type <typeparamref name="T"/> in this stack (this one included), or null.</summary>
    public T? FindWrapper<T>() where T : Env
    {
        for (Env? env = this; env is not null; env = (env as Wrapper)?.Inner)
            if (env is T match)
                return match;
        return null;
    }

    /// <summary>Releases resources; the classic-control environments hold none.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; wrappers dispose the environment they wrap.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <summary>Gymnasium's repr: <c>&lt;CartPole&lt;CartPole-v1&gt;&gt;</c>, or <c>&lt;CartPole instance&gt;</c> without a spec.</summary>
    public override string ToString() => Spec is null ? $"<{GetType().Name} instance>" : $"<{GetType().Name}<{Spec.Id}>>";
}
