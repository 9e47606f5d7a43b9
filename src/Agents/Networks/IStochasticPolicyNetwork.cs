using RlExperiments.Tensors;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// A network that parameterises a stochastic policy for the policy-gradient agents: <c>Forward</c> maps observations
/// <c>[B, ObservationSize]</c> to <c>[B, ActionOutputs]</c>, a categorical policy's logits or a diagonal Gaussian's mean,
/// with the Gaussian's state-independent log-std in <see cref="LogStd"/>.
/// </summary>
public interface IStochasticPolicyNetwork
{
    /// <summary>Input width.</summary>
    int ObservationSize { get; }

    /// <summary>Output width: the number of discrete actions, or the Box size.</summary>
    int ActionOutputs { get; }

    /// <summary>Whether the output is a Gaussian mean (and <see cref="LogStd"/> is set).</summary>
    bool IsContinuous { get; }

    /// <summary>The state-independent log-std [action size] of a continuous policy, or null.</summary>
    Tensor? LogStd { get; }

    /// <summary>The policy's output [B, ActionOutputs]: logits, or the Gaussian mean.</summary>
    Tensor Forward(Tensor input);
}
