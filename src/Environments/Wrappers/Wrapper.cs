using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// An environment that wraps another and forwards everything to it (Gymnasium's <c>gymnasium.Wrapper</c>);
/// concrete wrappers override what they change. Disposing a wrapper disposes the wrapped environment.
/// </summary>
public abstract class Wrapper : Env
{
    /// <summary>Wraps <paramref name="env"/>.</summary>
    protected Wrapper(Env env)
    {
        Inner = env ?? throw new ArgumentNullException(nameof(env));
    }

    /// <summary>The wrapped environment (Gymnasium's <c>env</c>).</summary>
    public Env Inner { get; }

    /// <inheritdoc />
    public override Space ObservationSpace => Inner.ObservationSpace;

    /// <inheritdoc />
    public override Space ActionSpace => Inner.ActionSpace;

    /// <inheritdoc />
    public override EnvSpec? Spec
    {
        get => Inner.Spec;
        set => Inner.Spec = value;
    }

    /// <inheritdoc />
    public override EnvInfo Info => Inner.Info;

    /// <inheritdoc />
    public override Env Unwrapped => Inner.Unwrapped;

    /// <inheritdoc />
    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null) =>
        Inner.Reset(observation, seed, options);

    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation) => Inner.Step(action, observation);

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => Inner.Step(action, observation);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Inner.Dispose();
    }

    /// <summary>Writes the wrapped environment's state (stateless wrappers add nothing).</summary>
    public override void WriteCheckpointState(BinaryWriter writer) => Inner.WriteCheckpointState(writer);

    /// <summary>Reads the wrapped environment's state.</summary>
    public override void ReadCheckpointState(BinaryReader reader) => Inner.ReadCheckpointState(reader);

    /// <summary>Gymnasium's repr: <c>&lt;TimeLimit&lt;CartPole&lt;CartPole-v1&gt;&gt;&gt;</c>.</summary>
    public override string ToString() => $"<{GetType().Name}{Inner}>";
}
