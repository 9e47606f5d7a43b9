using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// E linear layers applied in one op (a batched matrix product, PyTorch's <c>torch.baddbmm</c> as used by Tianshou's
    /// <c>EnsembleLinear</c>): <c>y[e] = activation(x[e]·W[e]ᵀ + b[e])</c>. <paramref name="weight"/> is [E, out, in],
    /// <paramref name="bias"/> [E, out] or null; <paramref name="x"/> is [E, B, in], or [B, in] shared by every member
    /// (an ensemble's first layer, whose input gradient is then the sum over members). The result is [E, B, out].
    /// One graph node per layer for the whole ensemble, so the backward pass makes one product per operand and member.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit together (the message names them).</exception>
    public static Tensor EnsembleLinear(Tensor x, Tensor weight, Tensor? bias, Nn.Activation activation = Nn.Activation.Identity)
    {
        if (weight._rank != 3)
            throw new ArgumentException($"EnsembleLinear: weight must be 3-D [E, out, in]; got {weight.ShapeString}.", nameof(weight));
        int e = weight._dims[0], outF = weight._dims[1], inF = weight._dims[2];
        var shared = x._rank == 2;
        if (!(shared && x._dims[1] == inF) && !(x._rank == 3 && x._dims[0] == e && x._dims[2] == inF))
            throw new ArgumentException($"EnsembleLinear: input {x.ShapeString} does not match weight {weight.ShapeString} (expected [{e}, B, {inF}] or [B, {inF}]).", nameof(x));
        if (bias is not null && (bias._rank != 2 || bias._dims[0] != e || bias._dims[1] != outF))
            throw new ArgumentException($"EnsembleLinear: bias {bias.ShapeString} must be [{e}, {outF}] for weight {weight.ShapeString}.", nameof(bias));
        var batch = shared ? x._dims[0] : x._dims[1];
        var y = TensorPool.Rent([e, batch, outF]);
        var relu = activation == Nn.Activation.ReLU;
        var xd = x.Data;
        var wd = weight.Data;
        var yd = y.Data;
        for (var m = 0; m < e; m++)
        {
            // y[m] = x[m]·W[m]ᵀ + b[m] (ReLU in the product's epilogue), the same kernel Linear uses.
            // Other activations member by member too, so each member's values equal its own Linear's bit for bit.
            var xm = shared ? xd : xd.Slice(m * batch * inF, batch * inF);
            var ym = yd.Slice(m * batch * outF, batch * outF);
            Gemm.MultiplyBias(false, true, batch, outF, inF, xm, wd.Slice(m * outF * inF, outF * inF),
                bias is null ? default : bias.Data.Slice(m * outF, outF), ym, relu);
            if (activation is not (Nn.Activation.Identity or Nn.Activation.ReLU)) VectorMath.Activate(activation, ym, ym);
        }
        if (GradMode.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false)))
        {
            y.Record(OpKind.EnsembleLinear, x, weight, bias);
            y._i0 = (int)activation;
        }
        return y;
    }

    /// <summary>Backward of <see cref="EnsembleLinear"/>: the activation's derivative in place on this node's gradient,
    /// then per member dx[e] = g[e]·W[e], dW[e] = g[e]ᵀ·x[e], db[e] = Σ_rows g[e] (a shared x sums dx over members).</summary>
    private void EnsembleLinearBackward(Tensor x, Tensor w, Tensor? b, Span<float> g)
    {
        var kind = (Nn.Activation)_i0 switch
        {
            Nn.Activation.Tanh => OutputDerivativeKind.Tanh,
            Nn.Activation.ReLU => OutputDerivativeKind.Relu,
            Nn.Activation.Sigmoid => OutputDerivativeKind.Sigmoid,
            Nn.Activation.ELU => OutputDerivativeKind.Elu,
            _ => OutputDerivativeKind.Identity,
        };
        int e = w._dims[0], outF = w._dims[1], inF = w._dims[2], batch = _dims[1];
        if (kind != OutputDerivativeKind.Identity)
            for (var m = 0; m < e; m++)
            {
                var gm = g.Slice(m * batch * outF, batch * outF);
                VectorMath.OutputDerivative(kind, Data.Slice(m * batch * outF, batch * outF), gm, gm, accumulate: false);
            }
        var shared = x._rank == 2;
        var xd = x.Data;
        var wd = w.Data;
        if (x.RequiresGrad)
        {
            var dx = GradForWrite(x, out var fresh);
            for (var m = 0; m < e; m++)
            {
                var dxm = shared ? dx : dx.Slice(m * batch * inF, batch * inF);
                var accumulate = shared ? !fresh || m > 0 : !fresh;
                Gemm.Multiply(false, false, batch, inF, outF, g.Slice(m * batch * outF, batch * outF), wd.Slice(m * outF * inF, outF * inF), dxm, accumulate);
            }
        }
        if (w.RequiresGrad)
        {
            var dw = GradForWrite(w, out var fresh);
            for (var m = 0; m < e; m++)
            {
                var xm = shared ? xd : xd.Slice(m * batch * inF, batch * inF);
                Gemm.Multiply(true, false, outF, inF, batch, g.Slice(m * batch * outF, batch * outF), xm, dw.Slice(m * outF * inF, outF * inF), !fresh);
            }
        }
        if (b is not null && b.RequiresGrad)
        {
            var db = GradForWrite(b, out var fresh);
            for (var m = 0; m < e; m++)
                VectorMath.ColumnSums(g.Slice(m * batch * outF, batch * outF), batch, outF, db.Slice(m * outF, outF), accumulate: !fresh);
        }
    }
}
