using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Normalises observations to zero mean and unit variance with running statistics (Gymnasium's
/// <c>NormalizeObservation</c>): on every Reset and Step it first folds the raw observation into
/// <see cref="ObsRms"/> (unless <see cref="UpdateRunningMean"/> is false) and then returns
/// <c>(obs - mean) / sqrt(var + epsilon)</c> as float32. The observation space becomes unbounded.
/// </summary>
/// <remarks>
/// Freeze the statistics for evaluation with <c>UpdateRunningMean = false</c>; save and restore them with
/// <see cref="RunningMeanStd.GetState"/>/<see cref="RunningMeanStd.SetState"/>. Gymnasium 1.1 keeps the
/// statistics in the observation dtype (float32); here they are float64, which differs only by rounding.
/// </remarks>
public sealed class NormalizeObservation : Wrapper
{
    private readonly Box _observationSpace;

    /// <summary>Wraps <paramref name="env"/>, whose observation space must be a <see cref="Box"/>.</summary>
    /// <exception cref="ArgumentException">The observation space is not a Box, or epsilon is negative.</exception>
    public NormalizeObservation(Env env, double epsilon = 1e-8) : base(env)
    {
        if (env.ObservationSpace is not Box box)
            throw new ArgumentException($"NormalizeObservation needs a Box observation space; got {env.ObservationSpace}.", nameof(env));
        if (!(epsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative.");
        _observationSpace = new Box(float.NegativeInfinity, float.PositiveInfinity, [.. box.Shape]);
        ObsRms = new RunningMeanStd(box.FlatSize);
        Epsilon = epsilon;
    }

    /// <summary>The running statistics of raw observations.</summary>
    public RunningMeanStd ObsRms { get; }

    /// <summary>The stability constant added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Whether Reset and Step update the statistics (true by default; false to freeze them, e.g. for evaluation).</summary>
    public bool UpdateRunningMean { get; set; } = true;

    /// <inheritdoc />
    public override Space ObservationSpace => _observationSpace;

    /// <inheritdoc />
    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var info = Inner.Reset(observation, seed, options);
        Normalize(observation);
        return info;
    }

    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation)
    {
        var result = Inner.Step(action, observation);
        Normalize(observation);
        return result;
    }

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var result = Inner.Step(action, observation);
        Normalize(observation);
        return result;
    }

    /// <inheritdoc />
    public override void WriteCheckpointState(BinaryWriter writer)
    {
        RmsState.Write(writer, ObsRms);
        Inner.WriteCheckpointState(writer);
    }

    /// <inheritdoc />
    public override void ReadCheckpointState(BinaryReader reader)
    {
        RmsState.Read(reader, ObsRms);
        Inner.ReadCheckpointState(reader);
    }

    private void Normalize(Span<float> observation)
    {
        if (UpdateRunningMean)
            ObsRms.Update(observation);
        var mean = ObsRms.Mean;
        var variance = ObsRms.Var;
        for (var i = 0; i < observation.Length; i++)
            observation[i] = (float)((observation[i] - mean[i]) / Math.Sqrt(variance[i] + Epsilon));
    }
}
