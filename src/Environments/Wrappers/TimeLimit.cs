namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Truncates episodes after <see cref="MaxEpisodeSteps"/> steps (Gymnasium's <c>TimeLimit</c>): the step at
/// which <c>elapsed &gt;= max_episode_steps</c> returns <c>Truncated = true</c>, never <c>Terminated</c>, so
/// agents still bootstrap from it. The registry applies it with the spec's limit.
/// </summary>
/// <remarks>
/// Unlike Gymnasium, which lets stepping continue past the limit, stepping after a truncation without a
/// Reset throws: in a training loop it is always a bug.
/// </remarks>
public sealed class TimeLimit : Wrapper
{
    private int _elapsed;
    private bool _started;
    private bool _canStep;

    /// <summary>Wraps <paramref name="env"/> with a limit of <paramref name="maxEpisodeSteps"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpisodeSteps"/> is not positive.</exception>
    public TimeLimit(Env env, int maxEpisodeSteps) : base(env)
    {
        if (maxEpisodeSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "max_episode_steps must be positive.");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The episode length at which the episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _elapsed;

    /// <inheritdoc />
    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var info = Inner.Reset(observation, seed, options);
        _elapsed = 0;
        _started = true;
        _canStep = true;
        return info;
    }

    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation)
    {
        if (!_canStep)
            Throw();
        var result = Inner.Step(action, observation);
        return ++_elapsed >= MaxEpisodeSteps ? Truncate(result) : result;
    }

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (!_canStep)
            Throw();
        var result = Inner.Step(action, observation);
        return ++_elapsed >= MaxEpisodeSteps ? Truncate(result) : result;
    }

    /// <inheritdoc />
    public override void WriteCheckpointState(BinaryWriter writer)
    {
        writer.Write(_elapsed);
        writer.Write(_started);
        writer.Write(_canStep);
        Inner.WriteCheckpointState(writer);
    }

    /// <inheritdoc />
    public override void ReadCheckpointState(BinaryReader reader)
    {
        _elapsed = reader.ReadInt32();
        _started = reader.ReadBoolean();
        _canStep = reader.ReadBoolean();
        Inner.ReadCheckpointState(reader);
    }

    private StepResult Truncate(StepResult result)
    {
        _canStep = false;
        return result with { Truncated = true };
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Throw() => throw new InvalidOperationException(_started
        ? $"{Spec?.Id ?? Inner.GetType().Name}: the episode was truncated by TimeLimit after {MaxEpisodeSteps} steps; call Reset before calling Step again."
        : $"{Spec?.Id ?? Inner.GetType().Name}: call Reset before the first Step.");
}
