using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Nn;

/// <summary>
/// A forward pass of a <see cref="Sequential"/> network of <see cref="Linear"/> and <see cref="ActivationModule"/>
/// layers (an <see cref="Mlp"/>) compiled for acting: no autodiff, no tensor objects, no scope, preallocated buffers,
/// and a matrix-vector kernel for one observation. It reads the network's live parameters on every call, so it stays
/// valid while the network trains; nothing is allocated per call.
/// </summary>
/// <remarks>
/// Results equal <see cref="Module.Forward"/>'s bit for bit for every batch size: one or two rows go through the
/// matrix-vector kernel, which sums each output exactly as the matrix product does for so few rows, larger batches
/// through the same fused product as <see cref="Tensor.Linear(Tensor, Tensor, Tensor?, Activation)"/>. A plan holds its
/// own buffers, so it is not thread-safe: use one per thread.
/// </remarks>
public sealed class InferencePlan
{
    /// <summary>Batches of at most this many rows are computed row by row with the matrix-vector kernel (the rows the
    /// matrix product computes by the same dot products).</summary>
    private const int MatVecMaxRows = Gemm.DotMaxM;

    private readonly Step[] _steps;
    private readonly float[] _ping;
    private readonly float[] _pong;

    /// <summary>
    /// Compiles <paramref name="network"/> for batches of up to <paramref name="maxBatch"/> rows. Nested
    /// <see cref="Sequential"/> modules are flattened; any other kind of layer is refused (name it in the error) since
    /// its forward pass is unknown here.
    /// </summary>
    /// <exception cref="NotSupportedException">The network holds a layer other than Linear, an activation or Sequential.</exception>
    public InferencePlan(Sequential network, int maxBatch = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        var steps = new List<Step>();
        var width = 0;
        var maxWidth = 0;
        Flatten(network, steps, ref width, ref maxWidth);
        if (steps.Count == 0)
            throw new NotSupportedException("InferencePlan: the network has no Linear layer.");
        _steps = [.. steps];
        Inputs = _steps[0].Layer.InFeatures;
        Outputs = width;
        MaxBatch = maxBatch;
        _ping = GC.AllocateArray<float>(maxBatch * maxWidth, pinned: true);
        _pong = GC.AllocateArray<float>(maxBatch * maxWidth, pinned: true);
    }

    /// <summary>Input width (observation size).</summary>
    public int Inputs { get; }

    /// <summary>Output width (e.g. one Q-value per action).</summary>
    public int Outputs { get; }

    /// <summary>The largest batch <see cref="Forward"/> accepts.</summary>
    public int MaxBatch { get; }

    /// <summary>Whether <paramref name="network"/> holds only layers a plan can compile.</summary>
    public static bool CanCompile(Module network)
    {
        return network switch
        {
            Linear or ActivationModule => true,
            Sequential s => s.Layers.All(CanCompile),
            _ => false,
        };
    }

    /// <summary>
    /// The network's output for <paramref name="input"/>, a whole number of rows of <see cref="Inputs"/> floats (at most
    /// <see cref="MaxBatch"/>). The result is a view of the plan's buffer, valid until its next call.
    /// </summary>
    public unsafe ReadOnlySpan<float> Forward(ReadOnlySpan<float> input)
    {
        var rows = input.Length / Inputs;
        if (rows * Inputs != input.Length || rows == 0 || rows > MaxBatch)
            throw new ArgumentException($"InferencePlan: input must hold 1 to {MaxBatch} rows of {Inputs} floats; got {input.Length} floats.", nameof(input));
        fixed (float* x0 = input)
        fixed (float* ping = _ping)
        fixed (float* pong = _pong)
        {
            float* x = x0;
            float* y = ping;
            var width = Inputs;
            foreach (var step in _steps)
            {
                var layer = step.Layer;
                int outF = layer.OutFeatures;
                Span<float> bias = layer.Bias is { } b ? b.Data : default;
                fixed (float* w = layer.Weight.Data)
                fixed (float* bp = bias)
                {
                    if (rows <= MatVecMaxRows)
                    {
                        for (var r = 0; r < rows; r++)
                            MatVec.Multiply(w, outF, width, x + r * width, bp, y + r * outF);
                    }
                    else
                    {
                        Gemm.MultiplyBias(false, true, rows, outF, width, new ReadOnlySpan<float>(x, rows * width),
                            new ReadOnlySpan<float>(w, outF * width), bias, new Span<float>(y, rows * outF), relu: false);
                    }
                }
                var values = new Span<float>(y, rows * outF);
                foreach (var act in step.Activations) VectorMath.Activate(act, values, values);
                x = y;
                y = y == ping ? pong : ping;
                width = outF;
            }
            return new ReadOnlySpan<float>(x, rows * width);
        }
    }

    /// <summary>The index of the largest output for one observation (the greedy action of a Q-network); the first on ties.</summary>
    public int Argmax(ReadOnlySpan<float> observation)
    {
        if (observation.Length != Inputs)
            throw new ArgumentException($"InferencePlan.Argmax: one observation of {Inputs} floats expected; got {observation.Length}.", nameof(observation));
        return RowArgmax(Forward(observation));
    }

    /// <summary>The index of the largest output for each row of <paramref name="observations"/> (first on ties).</summary>
    public void Argmax(ReadOnlySpan<float> observations, Span<int> actions)
    {
        var q = Forward(observations);
        var rows = observations.Length / Inputs;
        if (actions.Length != rows)
            throw new ArgumentException($"InferencePlan.Argmax: actions must hold one value per row ({rows}); got {actions.Length}.", nameof(actions));
        for (var r = 0; r < rows; r++) actions[r] = RowArgmax(q.Slice(r * Outputs, Outputs));
    }

    private static int RowArgmax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var j = 1; j < row.Length; j++)
            if (row[j] > row[best]) best = j;
        return best;
    }

    private static void Flatten(Module module, List<Step> steps, ref int width, ref int maxWidth)
    {
        switch (module)
        {
            case Sequential s:
                foreach (var layer in s.Layers) Flatten(layer, steps, ref width, ref maxWidth);
                break;
            case Linear l:
                if (steps.Count > 0 && l.InFeatures != width)
                    throw new NotSupportedException($"InferencePlan: a Linear layer takes {l.InFeatures} inputs but the previous layer gives {width}.");
                steps.Add(new Step(l, []));
                width = l.OutFeatures;
                maxWidth = Math.Max(maxWidth, width);
                break;
            case ActivationModule a:
                if (steps.Count == 0)
                    throw new NotSupportedException("InferencePlan: an activation before the first Linear layer is not supported.");
                var last = steps[^1];
                steps[^1] = last with { Activations = [.. last.Activations, a.Kind] };
                break;
            default:
                throw new NotSupportedException($"InferencePlan: layers of type {module.GetType().Name} cannot be compiled (only Linear, ActivationModule and Sequential).");
        }
    }

    /// <summary>One Linear layer and the activations applied to its output.</summary>
    private sealed record Step(Linear Layer, Activation[] Activations);
}
