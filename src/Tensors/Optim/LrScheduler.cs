namespace RlExperiments.Tensors.Optim;

/// <summary>
/// Sets an optimiser's learning rate to <c>baseLr · Factor(step)</c> each time <see cref="Step"/> is called
/// (once per update or per epoch, as the caller decides), like <c>torch.optim.lr_scheduler</c>.
/// </summary>
public abstract class LrScheduler
{
    /// <summary>Binds the scheduler to <paramref name="optimizer"/>, taking its current learning rate as the base.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
        optimizer.LearningRate = BaseLearningRate * Factor(0);
    }

    /// <summary>The optimiser whose learning rate this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate the factor multiplies.</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many times <see cref="Step"/> has been called (saved in checkpoints).</summary>
    public long StepIndex { get; private set; }

    /// <summary>The multiplier at step <paramref name="step"/>.</summary>
    public abstract double Factor(long step);

    /// <summary>Advances one step and updates the optimiser's learning rate.</summary>
    public void Step()
    {
        StepIndex++;
        Optimizer.LearningRate = BaseLearningRate * Factor(StepIndex);
    }

    /// <summary>Moves to a saved position (for resuming) and updates the learning rate.</summary>
    public void Restore(long stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        StepIndex = stepIndex;
        Optimizer.LearningRate = BaseLearningRate * Factor(StepIndex);
    }
}

/// <summary>Keeps the learning rate constant.</summary>
public sealed class ConstantLr(Optimizer optimizer) : LrScheduler(optimizer)
{
    /// <inheritdoc />
    public override double Factor(long step) => 1.0;
}

/// <summary>
/// Moves the factor linearly from <c>startFactor</c> to <c>endFactor</c> over <c>totalSteps</c> steps, then
/// holds it (PyTorch's <c>LinearLR</c>; SB3's linear schedule to zero is <c>LinearLr(opt, 1, 0, total)</c>).
/// </summary>
public sealed class LinearLr : LrScheduler
{
    /// <summary>Creates the schedule.</summary>
    public LinearLr(Optimizer optimizer, double startFactor, double endFactor, long totalSteps)
        : base(Validate(optimizer, startFactor, endFactor, totalSteps))
    {
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalSteps = totalSteps;
        optimizer.LearningRate = BaseLearningRate * Factor(0);
    }

    private static Optimizer Validate(Optimizer optimizer, double start, double end, long total)
    {
        if (!(start >= 0) || !(end >= 0))
            throw new ArgumentOutOfRangeException(nameof(start), $"startFactor ({start}) and endFactor ({end}) must be ≥ 0.");
        if (total <= 0)
            throw new ArgumentOutOfRangeException(nameof(total), total, "totalSteps must be positive.");
        return optimizer;
    }

    /// <summary>Factor at step 0.</summary>
    public double StartFactor { get; }

    /// <summary>Factor from <see cref="TotalSteps"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>Steps over which the factor moves.</summary>
    public long TotalSteps { get; }

    /// <inheritdoc />
    public override double Factor(long step) =>
        TotalSteps == 0 ? 1.0 : StartFactor + (EndFactor - StartFactor) * Math.Min(step, TotalSteps) / TotalSteps;
}
