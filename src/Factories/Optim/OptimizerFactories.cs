using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Factories.Optim;

/// <summary>
/// Creates an optimiser over a model's parameters (Tianshou's <c>OptimizerFactoryFactory</c>): the record holds
/// the optimiser's hyperparameters, the learning rate comes from the algorithm's params when the model exists.
/// Every field is forwarded to the optimiser (unlike Tianshou's <c>OptimizerFactoryFactoryTorch</c>, which drops
/// its kwargs). <see cref="AdamOptimizerFactory"/> is the default.
/// </summary>
public abstract record OptimizerFactory : IValidatable
{
    /// <summary>The framework's default: Adam with PyTorch's defaults.</summary>
    public static OptimizerFactory Default => new AdamOptimizerFactory();

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The parameters to optimise (each must require grad).</param>
    /// <param name="learningRate">The learning rate, from the algorithm's params; a finite number ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A field or the learning rate is out of range.</exception>
    public abstract Optimizer Create(IEnumerable<Tensor> parameters, double learningRate);

    /// <inheritdoc />
    public abstract void Validate();

    /// <summary>Validates the record and the learning rate.</summary>
    protected void ValidateCreate(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"learningRate = {FieldCheck.Format(learningRate)} is invalid; allowed: a finite number ≥ 0.");
        Validate();
    }
}

/// <summary>Adam (<c>torch.optim.Adam</c>), the default optimiser. Defaults are PyTorch's.</summary>
public sealed record AdamOptimizerFactory : OptimizerFactory
{
    /// <summary>Decay rate of the first-moment average (PyTorch's <c>betas[0]</c>). Default: 0.9. Allowed: [0, 1).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second-moment average (PyTorch's <c>betas[1]</c>). Default: 0.999. Allowed: [0, 1).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for numerical stability. Default: 1e-8. Allowed: a finite number ≥ 0.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient. Default: 0. Allowed: a finite number ≥ 0.</summary>
    public double WeightDecay { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.InRange(nameof(AdamOptimizerFactory), nameof(Beta1), Beta1, 0, 1);
        FieldCheck.InRange(nameof(AdamOptimizerFactory), nameof(Beta2), Beta2, 0, 1);
        FieldCheck.NonNegative(nameof(AdamOptimizerFactory), nameof(Eps), Eps);
        FieldCheck.NonNegative(nameof(AdamOptimizerFactory), nameof(WeightDecay), WeightDecay);
    }

    /// <inheritdoc />
    public override Optimizer Create(IEnumerable<Tensor> parameters, double learningRate)
    {
        ValidateCreate(parameters, learningRate);
        return new Adam(parameters, learningRate, Beta1, Beta2, Eps, WeightDecay);
    }
}

/// <summary>AdamW (<c>torch.optim.AdamW</c>): Adam with decoupled weight decay. Defaults are PyTorch's.</summary>
public sealed record AdamWOptimizerFactory : OptimizerFactory
{
    /// <summary>Decay rate of the first-moment average. Default: 0.9. Allowed: [0, 1).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second-moment average. Default: 0.999. Allowed: [0, 1).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for numerical stability. Default: 1e-8. Allowed: a finite number ≥ 0.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay λ (θ ← θ(1 − lr·λ)). Default: 0.01 (PyTorch's). Allowed: a finite number ≥ 0.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.InRange(nameof(AdamWOptimizerFactory), nameof(Beta1), Beta1, 0, 1);
        FieldCheck.InRange(nameof(AdamWOptimizerFactory), nameof(Beta2), Beta2, 0, 1);
        FieldCheck.NonNegative(nameof(AdamWOptimizerFactory), nameof(Eps), Eps);
        FieldCheck.NonNegative(nameof(AdamWOptimizerFactory), nameof(WeightDecay), WeightDecay);
    }

    /// <inheritdoc />
    public override Optimizer Create(IEnumerable<Tensor> parameters, double learningRate)
    {
        ValidateCreate(parameters, learningRate);
        return new AdamW(parameters, learningRate, Beta1, Beta2, Eps, WeightDecay);
    }
}

/// <summary>Stochastic gradient descent (<c>torch.optim.SGD</c>), optionally with (Nesterov) momentum.</summary>
public sealed record SgdOptimizerFactory : OptimizerFactory
{
    /// <summary>Momentum factor μ. Default: 0 (plain SGD). Allowed: a finite number ≥ 0.</summary>
    public double Momentum { get; init; }

    /// <summary>Dampening for momentum. Default: 0. Allowed: [0, 1]; must be 0 with <see cref="Nesterov"/>.</summary>
    public double Dampening { get; init; }

    /// <summary>L2 penalty added to the gradient. Default: 0. Allowed: a finite number ≥ 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Nesterov momentum. Default: false. Allowed: true only with <see cref="Momentum"/> &gt; 0 and <see cref="Dampening"/> = 0.</summary>
    public bool Nesterov { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.NonNegative(nameof(SgdOptimizerFactory), nameof(Momentum), Momentum);
        FieldCheck.InRange(nameof(SgdOptimizerFactory), nameof(Dampening), Dampening, 0, 1, maxInclusive: true);
        FieldCheck.NonNegative(nameof(SgdOptimizerFactory), nameof(WeightDecay), WeightDecay);
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
            throw new ArgumentException(
                $"{nameof(SgdOptimizerFactory)}.{nameof(Nesterov)} = true is invalid with {nameof(Momentum)} = {FieldCheck.Format(Momentum)} and {nameof(Dampening)} = {FieldCheck.Format(Dampening)}; allowed: Nesterov only with Momentum > 0 and Dampening = 0.",
                nameof(Nesterov));
    }

    /// <inheritdoc />
    public override Optimizer Create(IEnumerable<Tensor> parameters, double learningRate)
    {
        ValidateCreate(parameters, learningRate);
        return new Sgd(parameters, learningRate, Momentum, Dampening, WeightDecay, Nesterov);
    }
}

/// <summary>RMSprop (<c>torch.optim.RMSprop</c>). Defaults are PyTorch's (Tianshou's <c>OptimizerFactoryFactoryRMSprop</c> uses the same).</summary>
public sealed record RmsPropOptimizerFactory : OptimizerFactory
{
    /// <summary>Smoothing constant α of the squared-gradient average. Default: 0.99. Allowed: [0, 1).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>Added to the denominator for numerical stability. Default: 1e-8. Allowed: a finite number ≥ 0.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient. Default: 0. Allowed: a finite number ≥ 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Momentum factor. Default: 0. Allowed: a finite number ≥ 0.</summary>
    public double Momentum { get; init; }

    /// <summary>Centred RMSprop (normalise by the estimated variance of the gradient). Default: false.</summary>
    public bool Centered { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.InRange(nameof(RmsPropOptimizerFactory), nameof(Alpha), Alpha, 0, 1);
        FieldCheck.NonNegative(nameof(RmsPropOptimizerFactory), nameof(Eps), Eps);
        FieldCheck.NonNegative(nameof(RmsPropOptimizerFactory), nameof(WeightDecay), WeightDecay);
        FieldCheck.NonNegative(nameof(RmsPropOptimizerFactory), nameof(Momentum), Momentum);
    }

    /// <inheritdoc />
    public override Optimizer Create(IEnumerable<Tensor> parameters, double learningRate)
    {
        ValidateCreate(parameters, learningRate);
        return new RmsProp(parameters, learningRate, Alpha, Eps, WeightDecay, Momentum, Centered);
    }
}
