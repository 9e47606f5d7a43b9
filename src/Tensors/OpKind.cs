namespace RlExperiments.Tensors;

/// <summary>The operation that produced a tensor, dispatched on by the backward pass.</summary>
internal enum OpKind : byte
{
    None,
    View,
    Add,
    Sub,
    Mul,
    Div,
    Affine,
    Matmul,
    Linear,
    /// <summary>A Linear layer fused with its activation (the activation is stored in <c>_i0</c>).</summary>
    LinearActivation,
    /// <summary>A batch of E linear layers applied at once, [E, B, in]·[E, out, in]ᵀ + [E, out], then an activation (in <c>_i0</c>).</summary>
    EnsembleLinear,
    Sum,
    SumDim,
    MaxDim,
    Gather,
    Exp,
    Log,
    Sqrt,
    Pow,
    Clamp,
    Minimum,
    Maximum,
    Relu,
    Tanh,
    Sigmoid,
    Elu,
    Softplus,
    Softmax,
    LogSoftmax,
    Cat,
    NarrowCols,
    MseLoss,
    HuberLoss,
    /// <summary>Squared error of q[i, actions[i]] against a target (q in <c>_a</c>, target in <c>_b</c>, actions in <c>_c</c>).</summary>
    GatherMseLoss,
    /// <summary>Huber loss of q[i, actions[i]] against a target (as <see cref="GatherMseLoss"/>).</summary>
    GatherHuberLoss,
    /// <summary>a[r] ⊙ b[r·k + i]: each row of a multiplies k consecutive rows of b (k in <c>_i0</c>).</summary>
    RepeatMul,
    /// <summary>IQN's quantile Huber loss (quantiles in <c>_a</c>, targets in <c>_b</c>, τ in <c>_c</c>, κ in <c>_s0</c>).</summary>
    QuantileHuberLoss,
    /// <summary>The graph behind this tensor was freed by a backward pass.</summary>
    Freed,
}

/// <summary>How an operand of a binary elementwise operation maps onto the output.</summary>
internal enum Broadcast : byte
{
    /// <summary>Same shape as the output.</summary>
    Same,
    /// <summary>A row vector repeated over the output's rows.</summary>
    Row,
    /// <summary>A column (one value per row) repeated over the output's columns.</summary>
    Column,
    /// <summary>A single value.</summary>
    Scalar,
}
