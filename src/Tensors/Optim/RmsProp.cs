namespace RlExperiments.Tensors.Optim;

/// <summary>
/// RMSprop, as <c>torch.optim.RMSprop</c>:
/// <code>
/// g ← ∇θ + λθ;  v ← αv + (1 − α)g²
/// centred: ḡ ← αḡ + (1 − α)g, d ← √(v − ḡ²) + ε; else d ← √v + ε
/// momentum μ &gt; 0: b ← μb + g/d, θ ← θ − lr·b; else θ ← θ − lr·g/d
/// </code>
/// </summary>
public sealed class RmsProp : Optimizer
{
    private static readonly string[] Names = ["square_avg", "grad_avg", "momentum_buffer"];
    private readonly float[]?[] _sq;
    private readonly float[]?[] _avg;
    private readonly float[]?[] _mom;

    /// <summary>Creates the optimiser with PyTorch's defaults (lr 0.01, α 0.99, ε 1e-8).</summary>
    public RmsProp(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate)
    {
        Adam.CheckRange(nameof(alpha), alpha, 0, 1);
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be ≥ 0.");
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be ≥ 0.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be ≥ 0.");
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _sq = new float[Params.Length][];
        _avg = new float[Params.Length][];
        _mom = new float[Params.Length][];
    }

    /// <summary>Smoothing constant α.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>L2 penalty λ.</summary>
    public double WeightDecay { get; }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the second moment is centred by the running mean gradient.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        float lr = (float)LearningRate, a = (float)Alpha, eps = (float)Eps, wd = (float)WeightDecay, mu = (float)Momentum;
        for (var i = 0; i < Params.Length; i++)
        {
            var g = GradOf(i);
            if (g.IsEmpty) continue;
            var p = Params[i].Data;
            var sq = (_sq[i] ??= new float[p.Length]).AsSpan();
            var avg = Centered ? (_avg[i] ??= new float[p.Length]).AsSpan() : default;
            var mom = mu > 0 ? (_mom[i] ??= new float[p.Length]).AsSpan() : default;
            for (var j = 0; j < p.Length; j++)
            {
                var gj = g[j] + wd * p[j];
                sq[j] = a * sq[j] + (1 - a) * gj * gj;
                float d;
                if (Centered)
                {
                    avg[j] = a * avg[j] + (1 - a) * gj;
                    d = MathF.Sqrt(sq[j] - avg[j] * avg[j]) + eps;
                }
                else d = MathF.Sqrt(sq[j]) + eps;
                if (mu > 0)
                {
                    mom[j] = mu * mom[j] + gj / d;
                    p[j] -= lr * mom[j];
                }
                else p[j] -= lr * gj / d;
            }
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> BufferNames => Names;

    /// <inheritdoc />
    protected override float[]? Buffer(string name, int index) => name switch
    {
        "square_avg" => _sq[index],
        "grad_avg" => _avg[index],
        _ => _mom[index],
    };

    /// <inheritdoc />
    protected override float[] CreateBuffer(string name, int index)
    {
        var b = new float[Params[index].Count];
        switch (name)
        {
            case "square_avg": _sq[index] = b; break;
            case "grad_avg": _avg[index] = b; break;
            default: _mom[index] = b; break;
        }
        return b;
    }
}
