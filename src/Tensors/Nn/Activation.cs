namespace RlExperiments.Tensors.Nn;

/// <summary>The hidden-layer nonlinearities an <see cref="Mlp"/> can use.</summary>
public enum Activation
{
    /// <summary>Hyperbolic tangent (PPO's usual choice).</summary>
    Tanh,
    /// <summary>Rectified linear unit (DQN's and SAC's usual choice).</summary>
    ReLU,
    /// <summary>Exponential linear unit with alpha 1.</summary>
    ELU,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>No nonlinearity.</summary>
    Identity,
}

/// <summary>A parameter-free module applying an <see cref="Activation"/> elementwise.</summary>
public sealed class ActivationModule(Activation kind) : Module
{
    /// <summary>Which nonlinearity this module applies.</summary>
    public Activation Kind { get; } = kind;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Kind switch
    {
        Activation.Tanh => input.Tanh(),
        Activation.ReLU => input.Relu(),
        Activation.ELU => input.Elu(),
        Activation.Sigmoid => input.Sigmoid(),
        _ => input,
    };
}
