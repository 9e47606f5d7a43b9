using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Sac;

/// <summary>
/// Two independent Q-networks Q₁, Q₂(s, a) on the concatenation [s, a] (Stable-Baselines3's <c>ContinuousCritic</c>
/// with <c>n_critics = 2</c>, children <c>qf0</c> and <c>qf1</c>): clipped double-Q learning uses their minimum.
/// </summary>
public sealed class TwinQCritic : Module
{
    private readonly Mlp _q1;
    private readonly Mlp _q2;

    /// <summary>Builds both networks with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public TwinQCritic(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Activation activation, Rng rng)
    {
        _q1 = RegisterModule("qf0", new Mlp(observationSize + actionSize, hiddenSizes, 1, activation, rng));
        _q2 = RegisterModule("qf1", new Mlp(observationSize + actionSize, hiddenSizes, 1, activation, rng));
    }

    /// <summary>Q₁(s, a) and Q₂(s, a), each <c>[B, 1]</c>, for observations <c>[B, obs]</c> and actions <c>[B, act]</c>.</summary>
    public (Tensor Q1, Tensor Q2) Forward(Tensor observations, Tensor actions)
    {
        var x = Tensor.Cat(observations, actions);
        return (_q1.Forward(x), _q2.Forward(x));
    }

    /// <summary>min(Q₁, Q₂) for an already concatenated input <c>[B, obs + act]</c>.</summary>
    public override Tensor Forward(Tensor input) => _q1.Forward(input).Minimum(_q2.Forward(input));
}
