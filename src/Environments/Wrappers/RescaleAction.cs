using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Affinely maps actions from <c>[minAction, maxAction]</c> onto the wrapped environment's <see cref="Box"/>
/// bounds (Gymnasium's <c>RescaleAction</c>, e.g. to give an agent a [-1, 1] action space): the wrapped
/// environment receives <c>(a - intercept) / gradient</c> with <c>gradient = (max - min) / (high - low)</c> and
/// <c>intercept = gradient * -low + min</c>, both float32 as in Gymnasium. Actions are not clipped.
/// </summary>
public sealed class RescaleAction : Wrapper
{
    private readonly Box _actionSpace;
    private readonly float[] _gradient;
    private readonly float[] _intercept;
    private readonly float[] _buffer;

    /// <summary>Rescales every action element to [<paramref name="minAction"/>, <paramref name="maxAction"/>].</summary>
    public RescaleAction(Env env, float minAction, float maxAction)
        : this(env, Repeat(env, minAction), Repeat(env, maxAction)) { }

    /// <summary>Rescales action element i to [<paramref name="minAction"/>[i], <paramref name="maxAction"/>[i]].</summary>
    /// <exception cref="ArgumentException">
    /// The action space is not a Box, lengths differ, min exceeds max, or a bound is infinite where the
    /// wrapped bound is finite (or the other way round).
    /// </exception>
    public RescaleAction(Env env, float[] minAction, float[] maxAction) : base(env)
    {
        var box = env.ActionSpace as Box
            ?? throw new ArgumentException($"RescaleAction needs a Box action space; got {env.ActionSpace}.", nameof(env));
        ArgumentNullException.ThrowIfNull(minAction);
        ArgumentNullException.ThrowIfNull(maxAction);
        var n = box.FlatSize;
        if (minAction.Length != n || maxAction.Length != n)
            throw new ArgumentException($"minAction and maxAction need {n} element(s) each, like {box}.", nameof(minAction));
        _gradient = new float[n];
        _intercept = new float[n];
        _buffer = new float[n];
        var low = box.Low;
        var high = box.High;
        for (var i = 0; i < n; i++)
        {
            if (!(minAction[i] <= maxAction[i]))
                throw new ArgumentException($"minAction[{i}] = {minAction[i]} must not exceed maxAction[{i}] = {maxAction[i]}.", nameof(minAction));
            if (float.IsFinite(minAction[i]) != float.IsFinite(low[i]) || (!float.IsFinite(low[i]) && minAction[i] != low[i]))
                throw new ArgumentException($"minAction[{i}] = {minAction[i]} must be infinite exactly where the action space's low[{i}] = {low[i]} is.", nameof(minAction));
            if (float.IsFinite(maxAction[i]) != float.IsFinite(high[i]) || (!float.IsFinite(high[i]) && maxAction[i] != high[i]))
                throw new ArgumentException($"maxAction[{i}] = {maxAction[i]} must be infinite exactly where the action space's high[{i}] = {high[i]} is.", nameof(maxAction));

            var minFinite = float.IsFinite(minAction[i]);
            var maxFinite = float.IsFinite(maxAction[i]);
            _gradient[i] = minFinite && maxFinite
                ? (float)(((double)maxAction[i] - minAction[i]) / ((double)high[i] - low[i]))
                : 1f;
            _intercept[i] = 0f;
            if (maxFinite)
                _intercept[i] = (float)((double)maxAction[i] - high[i]);
            if (minFinite)
                _intercept[i] = (float)((double)(_gradient[i] * -low[i]) + minAction[i]);
        }
        _actionSpace = new Box(minAction, maxAction, [.. box.Shape]);
    }

    /// <inheritdoc />
    public override Space ActionSpace => _actionSpace;

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (action.Length != _buffer.Length)
            throw new ArgumentException($"Actions have {_buffer.Length} element(s); got {action.Length}.", nameof(action));
        for (var i = 0; i < _buffer.Length; i++)
            _buffer[i] = (action[i] - _intercept[i]) / _gradient[i];
        return Inner.Step(_buffer, observation);
    }

    private static float[] Repeat(Env env, float value)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Enumerable.Repeat(value, env.ActionSpace.FlatSize).ToArray();
    }
}
