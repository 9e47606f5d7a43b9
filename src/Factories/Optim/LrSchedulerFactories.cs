using RlExperiments.Tensors.Optim;

namespace RlExperiments.Factories.Optim;

/// <summary>
/// Creates a learning-rate scheduler for an optimiser once the number of updates of the run is known
/// (Tianshou's <c>LRSchedulerFactoryFactory</c>). The trainer calls the scheduler's <c>Step()</c> once per update.
/// </summary>
public abstract record LrSchedulerFactory : IValidatable
{
    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimiser whose learning rate is scheduled (its current rate is the base).</param>
    /// <param name="totalUpdates">The number of scheduler steps (gradient updates) in the run; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A field or <paramref name="totalUpdates"/> is out of range.</exception>
    public abstract LrScheduler Create(Optimizer optimizer, long totalUpdates);

    /// <inheritdoc />
    public virtual void Validate() { }

    /// <summary>Validates the record and the arguments.</summary>
    protected void ValidateCreate(Optimizer optimizer, long totalUpdates)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (totalUpdates < 1)
            throw new ArgumentOutOfRangeException(nameof(totalUpdates), totalUpdates, $"totalUpdates = {totalUpdates} is invalid; allowed: an integer ≥ 1.");
        Validate();
    }
}

/// <summary>Keeps the learning rate constant (the same as no scheduler, but explicit in saved experiments).</summary>
public sealed record ConstantLrSchedulerFactory : LrSchedulerFactory
{
    /// <inheritdoc />
    public override LrScheduler Create(Optimizer optimizer, long totalUpdates)
    {
        ValidateCreate(optimizer, totalUpdates);
        return new ConstantLr(optimizer);
    }
}

/// <summary>
/// Moves the learning rate linearly from <c>StartFactor · lr</c> to <c>EndFactor · lr</c> over the run's updates,
/// then holds it (PyTorch's <c>LinearLR</c>). The defaults decay linearly to zero, as Tianshou's
/// <c>LRSchedulerFactoryFactoryLinear</c> and Stable-Baselines3's linear schedule do.
/// </summary>
public sealed record LinearLrSchedulerFactory : LrSchedulerFactory
{
    /// <summary>The factor at the first update. Default: 1. Allowed: a finite number ≥ 0.</summary>
    public double StartFactor { get; init; } = 1.0;

    /// <summary>The factor reached at the last update. Default: 0. Allowed: a finite number ≥ 0.</summary>
    public double EndFactor { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.NonNegative(nameof(LinearLrSchedulerFactory), nameof(StartFactor), StartFactor);
        FieldCheck.NonNegative(nameof(LinearLrSchedulerFactory), nameof(EndFactor), EndFactor);
    }

    /// <inheritdoc />
    public override LrScheduler Create(Optimizer optimizer, long totalUpdates)
    {
        ValidateCreate(optimizer, totalUpdates);
        return new LinearLr(optimizer, StartFactor, EndFactor, totalUpdates);
    }
}
