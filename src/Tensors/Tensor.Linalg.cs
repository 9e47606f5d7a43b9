using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product op(this)·op(<paramref name="other"/>) of two 2-D tensors, where op transposes
    /// its operand when the matching flag is set (no copy is made: the kernel reads transposed).
    /// </summary>
    public Tensor Matmul(Tensor other, bool transposeThis = false, bool transposeOther = false)
    {
        if (_rank != 2 || other._rank != 2)
            throw new ArgumentException($"Matmul needs two 2-D tensors; got {ShapeString} and {other.ShapeString}.");
        int m = transposeThis ? _dims[1] : _dims[0];
        int k = transposeThis ? _dims[0] : _dims[1];
        int k2 = transposeOther ? other._dims[1] : other._dims[0];
        int n = transposeOther ? other._dims[0] : other._dims[1];
        if (k != k2)
            throw new ArgumentException(
                $"Matmul: inner dimensions differ: {ShapeString}{(transposeThis ? "ᵀ" : "")} · {other.ShapeString}{(transposeOther ? "ᵀ" : "")} ({k} vs {k2}).");
        var y = TensorPool.Rent([m, n]);
        Gemm.Multiply(transposeThis, transposeOther, m, n, k, Data, other.Data, y.Data, accumulate: false);
        if (ShouldRecord(this, other))
        {
            y.Record(OpKind.Matmul, this, other);
            y._i0 = (transposeThis ? 1 : 0) | (transposeOther ? 2 : 0);
        }
        return y;
    }

    /// <summary>
    /// The affine map of a linear layer, <c>x·Wᵀ + b</c>, with PyTorch's layout: <paramref name="weight"/> is
    /// [out, in], <paramref name="bias"/> is [out] or null, x is [batch, in] or [in]. One fused op, so the
    /// backward pass makes exactly one product per operand.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        var y = LinearValues(x, weight, bias, relu: false);
        if (GradMode.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false)))
            y.Record(OpKind.Linear, x, weight, bias);
        return y;
    }

    /// <summary>
    /// A linear layer followed by its nonlinearity, <c>activation(x·Wᵀ + b)</c>, as one op: the same values and
    /// gradients as <see cref="Linear(Tensor, Tensor, Tensor?)"/> followed by the activation op, bit for bit, with one
    /// tensor and one graph node fewer and the activation's backward pass folded into the layer's (an MLP layer's
    /// worth of per-op overhead saved on small networks).
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, Nn.Activation activation)
    {
        if (activation == Nn.Activation.Identity) return Linear(x, weight, bias);
        // ReLU is applied by the matrix product's epilogue as it stores C; the other activations in one pass after it.
        var y = LinearValues(x, weight, bias, relu: activation == Nn.Activation.ReLU);
        if (activation != Nn.Activation.ReLU) VectorMath.Activate(activation, y.Data, y.Data);
        if (GradMode.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false)))
        {
            y.Record(OpKind.LinearActivation, x, weight, bias);
            y._i0 = (int)activation;
        }
        return y;
    }

    /// <summary>x·Wᵀ + b (then ReLU when <paramref name="relu"/>) into a new tensor, nothing recorded.</summary>
    private static Tensor LinearValues(Tensor x, Tensor weight, Tensor? bias, bool relu)
    {
        if (weight._rank != 2)
            throw new ArgumentException($"Linear: weight must be 2-D [out, in]; got {weight.ShapeString}.", nameof(weight));
        int outF = weight._dims[0], inF = weight._dims[1];
        if (x.Cols != inF || x._rank > 2 || x._rank == 0)
            throw new ArgumentException($"Linear: input {x.ShapeString} does not match weight {weight.ShapeString} (expected [batch, {inF}] or [{inF}]).", nameof(x));
        if (bias is not null && (bias._rank != 1 || bias._dims[0] != outF))
            throw new ArgumentException($"Linear: bias {bias.ShapeString} must be [{outF}] for weight {weight.ShapeString}.", nameof(bias));
        var batch = x.Rows;
        var y = x._rank == 1 ? TensorPool.Rent([outF]) : TensorPool.Rent([batch, outF]);
        var yd = y.Data;
        // The bias (and ReLU) are added as the product's tiles are stored: C is written once, not prefilled and re-read.
        Gemm.MultiplyBias(false, true, batch, outF, inF, x.Data, weight.Data, bias is null ? default : bias.Data, yd, relu);
        return y;
    }

    /// <summary>Backward of <see cref="Linear(Tensor, Tensor, Tensor?, Nn.Activation)"/>: the activation's derivative
    /// is applied to this node's gradient in place (nothing else reads it), then the layer's backward runs on it.</summary>
    private void LinearActivationBackward(Tensor x, Tensor w, Tensor? b, Span<float> g)
    {
        if (_derivativeApplied)
        {
            _derivativeApplied = false; // the one consumer of this output wrote g with the derivative applied
            LinearBackward(x, w, b, g);
            return;
        }
        var kind = (Nn.Activation)_i0 switch
        {
            Nn.Activation.Tanh => OutputDerivativeKind.Tanh,
            Nn.Activation.ReLU => OutputDerivativeKind.Relu,
            Nn.Activation.Sigmoid => OutputDerivativeKind.Sigmoid,
            Nn.Activation.ELU => OutputDerivativeKind.Elu,
            _ => OutputDerivativeKind.Identity,
        };
        VectorMath.OutputDerivative(kind, Data, g, g, accumulate: false);
        LinearBackward(x, w, b, g);
    }

    /// <summary>
    /// Picks one element per row along dimension 1 of a 2-D tensor: <c>out[i] = this[i, index[i]]</c>.
    /// <paramref name="index"/> holds integer values, shaped [rows] (result [rows]) or [rows, 1] (result [rows, 1]).
    /// </summary>
    public Tensor Gather(int dim, Tensor index)
    {
        if (_rank != 2 || NormalizeDim(dim) != 1)
            throw new ArgumentException($"Gather is implemented along dimension 1 of a 2-D tensor; got dim {dim} on {ShapeString}.");
        var rows = _dims[0];
        var cols = _dims[1];
        var shapeOk = (index._rank == 1 && index._dims[0] == rows) || (index._rank == 2 && index._dims[0] == rows && index._dims[1] == 1);
        if (!shapeOk)
            throw new ArgumentException($"Gather: index {index.ShapeString} must be [{rows}] or [{rows}, 1] for source {ShapeString}.", nameof(index));
        var y = TensorPool.Rent(index.Shape);
        var x = Data;
        var ix = index.Data;
        var d = y.Data;
        for (var r = 0; r < rows; r++)
        {
            var j = (int)ix[r];
            if (j < 0 || j >= cols || j != ix[r])
                throw new ArgumentOutOfRangeException(nameof(index), ix[r], $"Gather: index {ix[r]} at row {r} is not an integer in [0, {cols}).");
            d[r] = x[r * cols + j];
        }
        if (ShouldRecord(this)) y.Record(OpKind.Gather, this, index);
        return y;
    }

    /// <summary>One-output heads whose input gradient was written with the ReLU derivative applied, on this thread (tests).</summary>
    [ThreadStatic] internal static long t_fusedHeadBackwards;

    private void LinearBackward(Tensor x, Tensor w, Tensor? b, ReadOnlySpan<float> g)
    {
        int outF = w._dims[0], inF = w._dims[1], batch = x.Rows;
        // A large layer's weight gradient goes to a worker while this thread computes dx and goes on (WeightGradientFork).
        var weightGradientForked = w.RequiresGrad && x.RequiresGrad && WeightGradientFork.TryStart(this, x, w, b);
        if (x.RequiresGrad)
        {
            var dx = GradForWrite(x, out var fresh);
            if (fresh && outF == 1 && x._uses == 1 && x._op == OpKind.LinearActivation && x._i0 == (int)Nn.Activation.ReLU)
            {
                // A one-output head on a ReLU layer it alone reads (a critic's Q head): dx = g ⊗ w with the layer's
                // ReLU derivative applied as it is written, instead of writing g ⊗ w and masking it in a second pass.
                VectorMath.ReluMaskedOuterProduct(g, w.Data, x.Data, dx);
                x._derivativeApplied = true;
                t_fusedHeadBackwards++;
            }
            else
            {
                Gemm.Multiply(false, false, batch, inF, outF, g, w.Data, dx, accumulate: !fresh);
            }
        }
        if (weightGradientForked) return;
        if (w.RequiresGrad)
        {
            var dw = GradForWrite(w, out var fresh);
            Gemm.Multiply(true, false, outF, inF, batch, g, x.Data, dw, accumulate: !fresh);
        }
        if (b is not null && b.RequiresGrad)
        {
            var db = GradForWrite(b, out var fresh);
            VectorMath.ColumnSums(g, batch, outF, db, accumulate: !fresh);
        }
    }

    private void MatmulBackward(Tensor a, Tensor b, ReadOnlySpan<float> g)
    {
        var ta = (_i0 & 1) != 0;
        var tb = (_i0 & 2) != 0;
        int m = _dims[0], n = _dims[1];
        var k = ta ? a._dims[0] : a._dims[1];
        if (a.RequiresGrad)
        {
            var da = GradForWrite(a, out var fresh);
            if (!ta) Gemm.Multiply(false, !tb, m, k, n, g, b.Data, da, accumulate: !fresh);   // dA = g·op(B)ᵀ
            else Gemm.Multiply(tb, true, k, m, n, b.Data, g, da, accumulate: !fresh);        // dA = op(B)·gᵀ
        }
        if (b.RequiresGrad)
        {
            var db = GradForWrite(b, out var fresh);
            if (!tb) Gemm.Multiply(!ta, false, k, n, m, a.Data, g, db, accumulate: !fresh);  // dB = op(A)ᵀ·g
            else Gemm.Multiply(true, ta, n, k, m, g, a.Data, db, accumulate: !fresh);        // dB = gᵀ·op(A)
        }
    }
}
