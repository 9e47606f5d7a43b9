using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Clips continuous actions into the wrapped environment's <see cref="Box"/> bounds before stepping
/// (Gymnasium's <c>ClipAction</c>); the exposed action space becomes unbounded, as in Gymnasium 1.x.
/// Uses a preallocated buffer: allocates nothing per step.
/// </summary>
public sealed class ClipAction : Wrapper
{
    private readonly Box _inner;
    private readonly Box _actionSpace;
    private readonly float[] _buffer;

    /// <summary>Wraps <paramref name="env"/>, whose action space must be a <see cref="Box"/>.</summary>
    /// <exception cref="ArgumentException">The action space is not a Box.</exception>
    public ClipAction(Env env) : base(env)
    {
        _inner = env.ActionSpace as Box
            ?? throw new ArgumentException($"ClipAction needs a Box action space; got {env.ActionSpace}.", nameof(env));
        _actionSpace = new Box(float.NegativeInfinity, float.PositiveInfinity, [.. _inner.Shape]);
        _buffer = new float[_inner.FlatSize];
    }

    /// <inheritdoc />
    public override Space ActionSpace => _actionSpace;

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (action.Length != _buffer.Length)
            throw new ArgumentException($"Actions have {_buffer.Length} element(s); got {action.Length}.", nameof(action));
        var low = _inner.Low;
        var high = _inner.High;
        for (var i = 0; i < _buffer.Length; i++)
            _buffer[i] = Math.Clamp(action[i], low[i], high[i]);
        return Inner.Step(_buffer, observation);
    }
}
