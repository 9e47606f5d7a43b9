using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// One Q-network Q(s, a) on the concatenation [s, a] (Stable-Baselines3's <c>ContinuousCritic</c> with
/// <c>n_critics = 1</c>, child <c>qf0</c>): DDPG's critic.
/// </summary>
public sealed class QCritic : Module
{
    private readonly Module _q;

    /// <summary>Builds the network as an MLP with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public QCritic(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Activation activation, Rng rng) =>
        _q = RegisterModule("qf0", new Mlp(observationSize + actionSize, hiddenSizes, 1, activation, rng));

    /// <summary>
    /// Wraps a separately created Q-network (e.g. from a critic factory) mapping <c>[B, obs + act]</c> to <c>[B, 1]</c>;
    /// its parameters are named <c>qf0.*</c>. The shape is checked here.
    /// </summary>
    /// <exception cref="ArgumentException">The network's output shape is not <c>[B, 1]</c>.</exception>
    public QCritic(Module q, int observationSize, int actionSize)
    {
        ArgumentNullException.ThrowIfNull(q);
        using (Tensor.Scope())
        using (Tensor.NoGrad())
        {
            var y = q.Forward(Tensor.Zeros([1, observationSize + actionSize]));
            if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != 1)
                throw new ArgumentException($"The critic maps [1, {observationSize + actionSize}] (observation ⊕ action) to {y.ShapeString}; expected [1, 1].", nameof(q));
        }
        _q = RegisterModule("qf0", q);
    }

    /// <summary>Q(s, a), <c>[B, 1]</c>, for observations <c>[B, obs]</c> and actions <c>[B, act]</c>.</summary>
    public Tensor Forward(Tensor observations, Tensor actions) => _q.Forward(Tensor.Cat(observations, actions));

    /// <summary>Q for an already concatenated input <c>[B, obs + act]</c>.</summary>
    public override Tensor Forward(Tensor input) => _q.Forward(input);
}
