using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// A deterministic policy μ(s) = tanh(f(s)) in (−1, 1) (DDPG's and TD3's actor), laid out as Stable-Baselines3's TD3
/// actor: one network <c>mu</c> (an MLP, or any network mapping <c>[B, obs]</c> to <c>[B, actions]</c>) followed by tanh.
/// </summary>
public sealed class DeterministicActor : Module
{
    private readonly Module _mu;

    /// <summary>Builds the actor as an MLP with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public DeterministicActor(int observationSize, IReadOnlyList<int> hiddenSizes, int actionSize, Activation activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        _mu = RegisterModule("mu", new Mlp(observationSize, hiddenSizes, actionSize, activation, rng));
        ActionSize = actionSize;
    }

    /// <summary>
    /// Wraps a separately created network (e.g. from an actor factory) mapping <c>[B, obs]</c> to <c>[B, actions]</c>;
    /// its parameters are named <c>mu.*</c>. The shape is checked here.
    /// </summary>
    /// <exception cref="ArgumentException">The network's output shape is not <c>[B, actions]</c>.</exception>
    public DeterministicActor(Module mu, int observationSize, int actionSize)
    {
        ArgumentNullException.ThrowIfNull(mu);
        using (Tensor.Scope())
        using (Tensor.NoGrad())
        {
            var y = mu.Forward(Tensor.Zeros([1, observationSize]));
            if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != actionSize)
                throw new ArgumentException($"The actor network maps [1, {observationSize}] to {y.ShapeString}; expected [1, {actionSize}].", nameof(mu));
        }
        _mu = RegisterModule("mu", mu);
        ActionSize = actionSize;
    }

    /// <summary>Action dimensions.</summary>
    public int ActionSize { get; }

    /// <summary>The action μ(s) = tanh(f(s)) in (−1, 1), <c>[B, actions]</c>.</summary>
    public override Tensor Forward(Tensor input) => _mu.Forward(input).Tanh();
}
