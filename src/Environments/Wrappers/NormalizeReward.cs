namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Scales rewards so that their discounted sum has roughly unit variance (Gymnasium's <c>NormalizeReward</c>):
/// per step <c>discounted = discounted * gamma * (1 - terminated) + reward</c>, that value is folded into
/// <see cref="ReturnRms"/>, and the reward returned is <c>reward / sqrt(var + epsilon)</c> (not centred).
/// </summary>
/// <remarks>
/// As in Gymnasium, only termination zeroes the discounted sum; truncation and Reset do not.
/// Put <see cref="RecordEpisodeStatistics"/> below this wrapper to record raw returns.
/// </remarks>
public sealed class NormalizeReward : Wrapper
{
    private readonly double[] _sample = new double[1];

    /// <summary>Wraps <paramref name="env"/>.</summary>
    /// <param name="env">The environment.</param>
    /// <param name="gamma">The discount of the running return, in [0, 1].</param>
    /// <param name="epsilon">The stability constant added to the variance.</param>
    public NormalizeReward(Env env, double gamma = 0.99, double epsilon = 1e-8) : base(env)
    {
        if (!(gamma is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        if (!(epsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative.");
        Gamma = gamma;
        Epsilon = epsilon;
    }

    /// <summary>The discount of the running return.</summary>
    public double Gamma { get; }

    /// <summary>The stability constant added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The running statistics of the discounted return.</summary>
    public RunningMeanStd ReturnRms { get; } = new(1);

    /// <summary>The running discounted return (Gymnasium's <c>discounted_reward</c>); settable for checkpoints.</summary>
    public double DiscountedReward { get; set; }

    /// <summary>Whether Step updates the statistics (true by default; false to freeze them).</summary>
    public bool UpdateRunningMean { get; set; } = true;

    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation) => Normalize(Inner.Step(action, observation));

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => Normalize(Inner.Step(action, observation));

    /// <inheritdoc />
    public override void WriteCheckpointState(BinaryWriter writer)
    {
        writer.Write(DiscountedReward);
        RmsState.Write(writer, ReturnRms);
        Inner.WriteCheckpointState(writer);
    }

    /// <inheritdoc />
    public override void ReadCheckpointState(BinaryReader reader)
    {
        DiscountedReward = reader.ReadDouble();
        RmsState.Read(reader, ReturnRms);
        Inner.ReadCheckpointState(reader);
    }

    private StepResult Normalize(StepResult result)
    {
        DiscountedReward = DiscountedReward * Gamma * (1 - (result.Terminated ? 1 : 0)) + result.Reward;
        if (UpdateRunningMean)
        {
            _sample[0] = DiscountedReward;
            ReturnRms.Update(_sample);
        }
        return result with { Reward = result.Reward / Math.Sqrt(ReturnRms.Var[0] + Epsilon) };
    }
}
