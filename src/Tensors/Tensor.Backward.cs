using System.Numerics;
using System.Numerics.Tensors;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    // One counter for every thread: a pass marks the nodes it visits with its own epoch, and a node may be visited by
    // passes on different threads (a TensorArena's recycled tensors, a graph built on one thread and back-propagated on
    // another), so an epoch must never repeat across threads. (A per-thread counter did repeat: a second thread's first
    // pass took a recycled node that the first thread's first pass had marked as already visited, and skipped it.)
    private static int s_epoch;
    [ThreadStatic] private static List<Tensor>? t_order;
    [ThreadStatic] private static Stack<(Tensor Node, int Child)>? t_stack;
    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires one, adding it to
    /// their <see cref="Grad"/> (gradients accumulate until the optimiser's <c>ZeroGrad</c>). A one-element
    /// tensor is seeded with 1; any other needs <paramref name="gradient"/> of its own shape. The graph is
    /// freed afterwards, as PyTorch does without <c>retain_graph</c>: a second backward through it is an error.
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException($"Backward: tensor {ShapeString} does not require grad (no input had RequiresGrad, or it was computed under NoGrad).");
        if (_op == OpKind.Freed)
            throw new InvalidOperationException("Backward: the graph behind this tensor was already freed by an earlier Backward. Recompute the forward pass.");
        if (gradient is null && _count != 1)
            throw new InvalidOperationException($"Backward on a non-scalar tensor of shape {ShapeString} needs an explicit gradient of the same shape (a seed); use .Sum() or .Mean() for a scalar loss.");
        if (gradient is not null) CheckSameShape(this, gradient, "Backward seed");

        var order = t_order ??= new List<Tensor>(64);
        order.Clear();
        TopologicalOrder(this, order);

        var seed = GradForWrite(this, out var fresh);
        if (gradient is null)
        {
            if (fresh) seed[0] = 1f;
            else seed[0] += 1f;
        }
        else if (fresh) gradient.Data.CopyTo(seed);
        else TensorPrimitives.Add(seed, gradient.Data, seed);

        try
        {
            for (var i = order.Count - 1; i >= 0; i--)
            {
                var node = order[i];
                if (node._grad is not null) node.BackwardStep();
            }
        }
        finally
        {
            WeightGradientFork.JoinPending();
        }
        for (var i = 0; i < order.Count; i++)
        {
            var node = order[i];
            node._op = OpKind.Freed;
            node._a = node._b = node._c = node._saved = null;
            node._grad = null;
        }
        order.Clear();
    }

    /// <summary>Post-order DFS over recorded (non-leaf) nodes: inputs before the nodes that use them.</summary>
    private static void TopologicalOrder(Tensor root, List<Tensor> order)
    {
        if (root._op == OpKind.None) return;
        var epoch = Interlocked.Increment(ref s_epoch);
        var stack = t_stack ??= new Stack<(Tensor, int)>(64);
        stack.Clear();
        root._visitEpoch = epoch;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, child) = stack.Pop();
            if (child < 3)
            {
                stack.Push((node, child + 1));
                var input = child switch { 0 => node._a, 1 => node._b, _ => node._c };
                if (input is null || !input.RequiresGrad || input._op == OpKind.None) continue;
                if (input._visitEpoch == epoch)
                {
                    input._uses++;
                    continue;
                }
                input._uses = 1;
                if (input._op == OpKind.Freed)
                    throw new InvalidOperationException(
                        $"Backward: an input of shape {input.ShapeString} belongs to a graph that an earlier Backward freed. Recompute it, or Detach() it if no gradient should flow.");
                input._visitEpoch = epoch;
                stack.Push((input, 0));
            }
            else order.Add(node);
        }
    }

    /// <summary>The gradient buffer of <paramref name="x"/> for writing: fresh means its contents are garbage and must be overwritten.</summary>
    internal static Span<float> GradForWrite(Tensor x, out bool fresh)
    {
        WeightGradientFork.JoinIfWrites(x);
        if (x._grad is null)
        {
            x._grad = !x.IsLeaf ? TensorPool.Rent(x.Shape)
                : x._count >= AlignedStorage.MinCount ? AlignedStorage.NewTensor(x.Shape, x._count)
                : new Tensor(new float[x._count], 0, x.Shape, ownsStorage: true);
            fresh = true;
        }
        else if (x._gradZeroPending)
        {
            x._gradZeroPending = false;
            AlignedStorage.Realign(x._grad); // its contents are overwritten now: find the boundary again if the array moved
            fresh = true;
        }
        else fresh = false;
        return x._grad.Data;
    }

    /// <summary>The gradient buffer of <paramref name="x"/>, zeroed if it did not exist yet, for adding to.</summary>
    internal static Span<float> GradForAccumulate(Tensor x)
    {
        var g = GradForWrite(x, out var fresh);
        if (fresh) g.Clear();
        return g;
    }

    private static Span<float> Scratch(int n)
    {
        var s = t_scratch;
        if (s is null || s.Length < n) t_scratch = s = new float[Math.Max(n, 1024)];
        return s.AsSpan(0, n);
    }

    private void BackwardStep()
    {
        var g = _grad!.Data;
        var a = _a!;
        switch (_op)
        {
            case OpKind.View:
            {
                var dx = GradForAccumulate(a).Slice(_i0, _count);
                TensorPrimitives.Add(dx, g, dx);
                break;
            }
            case OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Div:
                ArithmeticBackward(a, _b!, g);
                break;
            case OpKind.Minimum or OpKind.Maximum:
                MinMaxBackward(a, _b!, g);
                break;
            case OpKind.Affine:
            {
                var dx = GradForWrite(a, out var fresh);
                if (fresh) TensorPrimitives.Multiply(g, _s0, dx);
                else TensorPrimitives.MultiplyAdd(g, _s0, dx, dx);
                break;
            }
            case OpKind.Matmul:
                MatmulBackward(a, _b!, g);
                break;
            case OpKind.Linear:
                LinearBackward(a, _b!, _c, g);
                break;
            case OpKind.LinearActivation:
                LinearActivationBackward(a, _b!, _c, g);
                break;
            case OpKind.EnsembleLinear:
                EnsembleLinearBackward(a, _b!, _c, g);
                break;
            case OpKind.Sum:
            {
                var dx = GradForAccumulate(a);
                TensorPrimitives.Add(dx, g[0] * _s0, dx);
                break;
            }
            case OpKind.SumDim:
            {
                var dx = GradForAccumulate(a);
                var (outer, n, inner) = a.Split3(_i0);
                for (var o = 0; o < outer; o++)
                for (var j = 0; j < n; j++)
                {
                    var dst = dx.Slice((o * n + j) * inner, inner);
                    var src = g.Slice(o * inner, inner);
                    if (inner == 1) dst[0] += _s0 * src[0];
                    else TensorPrimitives.MultiplyAdd(src, _s0, dst, dst);
                }
                break;
            }
            case OpKind.MaxDim:
            {
                var dx = GradForAccumulate(a);
                var (outer, n, inner) = a.Split3(_i0);
                var ix = _saved!.Data;
                for (var o = 0; o < outer; o++)
                for (var i = 0; i < inner; i++)
                    dx[(o * n + (int)ix[o * inner + i]) * inner + i] += g[o * inner + i];
                break;
            }
            case OpKind.Gather:
            {
                var dx = GradForAccumulate(a);
                var ix = _b!.Data;
                var cols = a.Cols;
                for (var r = 0; r < ix.Length; r++) dx[r * cols + (int)ix[r]] += g[r];
                break;
            }
            case OpKind.Tanh or OpKind.Relu or OpKind.Sigmoid or OpKind.Exp:
                OutputDerivativeBackward(a, g);
                break;
            case OpKind.Log or OpKind.Sqrt or OpKind.Pow or OpKind.Clamp or OpKind.Elu or OpKind.Softplus:
            {
                var local = Scratch(_count);
                var x = a.Data;
                var y = Data;
                for (var i = 0; i < local.Length; i++)
                {
                    local[i] = _op switch
                    {
                        OpKind.Log => 1f / x[i],
                        OpKind.Sqrt => 0.5f / y[i],
                        OpKind.Pow => _s0 == 2f ? 2f * x[i] : _s0 * MathF.Pow(x[i], _s0 - 1f),
                        OpKind.Clamp => x[i] >= _s0 && x[i] <= _s1 ? 1f : 0f,
                        OpKind.Elu => x[i] > 0f ? 1f : y[i] + _s0,
                        _ => 1f / (1f + MathF.Exp(-x[i])),
                    };
                }
                var dx = GradForWrite(a, out var fresh);
                if (fresh) TensorPrimitives.Multiply(g, local, dx);
                else TensorPrimitives.MultiplyAdd(g, local, dx, dx);
                break;
            }
            case OpKind.Softmax or OpKind.LogSoftmax:
            {
                var dx = GradForAccumulate(a);
                int rows = Rows, cols = Cols;
                for (var r = 0; r < rows; r++)
                {
                    var gr = g.Slice(r * cols, cols);
                    var yr = Data.Slice(r * cols, cols);
                    var dr = dx.Slice(r * cols, cols);
                    if (_op == OpKind.Softmax)
                    {
                        var dot = TensorPrimitives.Dot(gr, yr);
                        for (var i = 0; i < cols; i++) dr[i] += yr[i] * (gr[i] - dot);
                    }
                    else
                    {
                        var sum = TensorPrimitives.Sum(gr);
                        for (var i = 0; i < cols; i++) dr[i] += gr[i] - MathF.Exp(yr[i]) * sum;
                    }
                }
                break;
            }
            case OpKind.Cat:
            {
                var b = _b!;
                int rows = Rows, cols = Cols, ca = a.Cols, cb = b.Cols;
                var da = a.RequiresGrad ? GradForAccumulate(a) : default;
                var db = b.RequiresGrad ? GradForAccumulate(b) : default;
                for (var r = 0; r < rows; r++)
                {
                    if (a.RequiresGrad) TensorPrimitives.Add(da.Slice(r * ca, ca), g.Slice(r * cols, ca), da.Slice(r * ca, ca));
                    if (b.RequiresGrad) TensorPrimitives.Add(db.Slice(r * cb, cb), g.Slice(r * cols + ca, cb), db.Slice(r * cb, cb));
                }
                break;
            }
            case OpKind.NarrowCols:
            {
                var dx = GradForAccumulate(a);
                int rows = Rows, len = Cols, cols = a.Cols;
                for (var r = 0; r < rows; r++)
                {
                    var dst = dx.Slice(r * cols + _i0, len);
                    TensorPrimitives.Add(dst, g.Slice(r * len, len), dst);
                }
                break;
            }
            case OpKind.MseLoss or OpKind.HuberLoss:
                LossBackward(a, _b!, g);
                break;
            case OpKind.GatherMseLoss or OpKind.GatherHuberLoss:
                GatheredLossBackward(a, _b!, _c!, g);
                break;
            case OpKind.RepeatMul:
                RepeatMulBackward(a, _b!, g);
                break;
            case OpKind.QuantileHuberLoss:
                QuantileHuberLossBackward(a, _b!, _c!, g);
                break;
            default:
                throw new InvalidOperationException($"No backward rule for {_op}.");
        }
    }

    /// <summary>Backward for ops whose derivative is a function of their output: tanh, relu, sigmoid, exp.</summary>
    private void OutputDerivativeBackward(Tensor a, ReadOnlySpan<float> g)
    {
        var dx = GradForWrite(a, out var fresh);
        var kind = _op switch
        {
            OpKind.Tanh => OutputDerivativeKind.Tanh,
            OpKind.Relu => OutputDerivativeKind.Relu,
            OpKind.Sigmoid => OutputDerivativeKind.Sigmoid,
            _ => OutputDerivativeKind.Exp,
        };
        VectorMath.OutputDerivative(kind, Data, g, dx, accumulate: !fresh);
    }

    private void ArithmeticBackward(Tensor a, Tensor b, ReadOnlySpan<float> g)
    {
        var ka = (Broadcast)_i0;
        var kb = (Broadcast)_i1;
        int rows = Rows, cols = Cols;
        if (a.RequiresGrad)
        {
            if (_op is OpKind.Add or OpKind.Sub)
                ReduceInto(GradForAccumulate(a), ka, g, rows, cols, 1f);
            else
            {
                var tmp = Scratch(_count);
                Kernel(_op, g, Broadcast.Same, b.Data, kb, tmp, rows, cols); // g·b or g/b
                ReduceInto(GradForAccumulate(a), ka, tmp, rows, cols, 1f);
            }
        }
        if (b.RequiresGrad)
        {
            switch (_op)
            {
                case OpKind.Add: ReduceInto(GradForAccumulate(b), kb, g, rows, cols, 1f); break;
                case OpKind.Sub: ReduceInto(GradForAccumulate(b), kb, g, rows, cols, -1f); break;
                case OpKind.Mul:
                {
                    var tmp = Scratch(_count);
                    Kernel(OpKind.Mul, g, Broadcast.Same, a.Data, ka, tmp, rows, cols);
                    ReduceInto(GradForAccumulate(b), kb, tmp, rows, cols, 1f);
                    break;
                }
                default: // Div: d(a/b)/db = -(a/b)/b = -y/b
                {
                    var tmp = Scratch(_count);
                    TensorPrimitives.Multiply(g, Data, tmp);
                    Kernel(OpKind.Div, tmp, Broadcast.Same, b.Data, kb, tmp, rows, cols);
                    ReduceInto(GradForAccumulate(b), kb, tmp, rows, cols, -1f);
                    break;
                }
            }
        }
    }

    private void MinMaxBackward(Tensor a, Tensor b, ReadOnlySpan<float> g)
    {
        var ka = (Broadcast)_i0;
        var kb = (Broadcast)_i1;
        int rows = Rows, cols = Cols;
        var toA = Scratch(2 * _count);
        var toB = toA.Slice(_count, _count);
        toA = toA[.._count];
        var av = a.Data;
        var bv = b.Data;
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            var i = r * cols + c;
            var x = ValueAt(av, ka, r, c, cols);
            var y = ValueAt(bv, kb, r, c, cols);
            var pickA = _op == OpKind.Minimum ? x <= y : x >= y;
            toA[i] = pickA ? g[i] : 0f;
            toB[i] = pickA ? 0f : g[i];
        }
        if (a.RequiresGrad) ReduceInto(GradForAccumulate(a), ka, toA, rows, cols, 1f);
        if (b.RequiresGrad) ReduceInto(GradForAccumulate(b), kb, toB, rows, cols, 1f);
    }

    private static float ValueAt(ReadOnlySpan<float> v, Broadcast k, int r, int c, int cols) => k switch
    {
        Broadcast.Same => v[r * cols + c],
        Broadcast.Row => v[c],
        Broadcast.Column => v[r],
        _ => v[0],
    };
}
