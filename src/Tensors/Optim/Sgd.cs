namespace RlExperiments.Tensors.Optim;

/// <summary>
/// Stochastic gradient descent, as <c>torch.optim.SGD</c>:
/// <code>
/// g ← ∇θ + λθ
/// b ← g (first step), else μb + (1 − dampening)g
/// g ← g + μb (Nesterov) or b
/// θ ← θ − lr·g
/// </code>
/// </summary>
public sealed class Sgd : Optimizer
{
    private static readonly string[] Names = ["momentum_buffer"];
    private readonly float[]?[] _buf;

    /// <summary>Creates the optimiser; momentum 0 is plain SGD.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be ≥ 0.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be ≥ 0.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening 0 (got momentum {momentum}, dampening {dampening}).", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _buf = new float[Params.Length][];
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Dampening for momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty λ.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        float lr = (float)LearningRate, mu = (float)Momentum, damp = (float)Dampening, wd = (float)WeightDecay;
        for (var i = 0; i < Params.Length; i++)
        {
            var g = GradOf(i);
            if (g.IsEmpty) continue;
            var p = Params[i].Data;
            var first = _buf[i] is null;
            var b = mu != 0 ? (_buf[i] ??= new float[p.Length]).AsSpan() : default;
            for (var j = 0; j < p.Length; j++)
            {
                var gj = g[j] + wd * p[j];
                if (mu != 0)
                {
                    b[j] = first ? gj : mu * b[j] + (1 - damp) * gj;
                    gj = Nesterov ? gj + mu * b[j] : b[j];
                }
                p[j] -= lr * gj;
            }
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> BufferNames => Names;

    /// <inheritdoc />
    protected override float[]? Buffer(string name, int index) => _buf[index];

    /// <inheritdoc />
    protected override float[] CreateBuffer(string name, int index) => _buf[index] = new float[Params[index].Count];
}
