using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// Two independent Q-networks over a discrete action space, each mapping observations <c>[B, obs]</c> to one Q-value per
/// action <c>[B, actions]</c> (Tianshou's two <c>DiscreteCritic</c>s of discrete SAC; children <c>qf0</c> and <c>qf1</c>).
/// </summary>
public sealed class TwinDiscreteQCritic : Module
{
    private readonly Module _q1;
    private readonly Module _q2;

    /// <summary>Builds both networks as MLPs with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public TwinDiscreteQCritic(int observationSize, int actions, IReadOnlyList<int> hiddenSizes, Activation activation, Rng rng)
        : this(new Mlp(observationSize, hiddenSizes, actions, activation, rng), new Mlp(observationSize, hiddenSizes, actions, activation, rng), observationSize, actions)
    {
    }

    /// <summary>Combines two separately created Q-networks (e.g. from model factories); their shapes are checked here.</summary>
    /// <exception cref="ArgumentException">A network does not map <c>[1, obs]</c> to <c>[1, actions]</c>, or both are the same object.</exception>
    public TwinDiscreteQCritic(Module q1, Module q2, int observationSize, int actions)
    {
        ArgumentNullException.ThrowIfNull(q1);
        ArgumentNullException.ThrowIfNull(q2);
        if (ReferenceEquals(q1, q2)) throw new ArgumentException("The two critics must be distinct networks.", nameof(q2));
        Check(q1, observationSize, actions, nameof(q1));
        Check(q2, observationSize, actions, nameof(q2));
        _q1 = RegisterModule("qf0", q1);
        _q2 = RegisterModule("qf1", q2);
        Actions = actions;
    }

    /// <summary>Actions |A| (outputs of each network).</summary>
    public int Actions { get; }

    private static void Check(Module q, int inputs, int actions, string name)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var y = q.Forward(Tensor.Zeros([1, inputs]));
        if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != actions)
            throw new ArgumentException($"The critic {name} maps [1, {inputs}] to {y.ShapeString}; expected [1, {actions}] (one Q-value per action).", name);
    }

    /// <summary>Q₁(s, ·) and Q₂(s, ·), each <c>[B, actions]</c>.</summary>
    public (Tensor Q1, Tensor Q2) Forward2(Tensor observations) => (_q1.Forward(observations), _q2.Forward(observations));

    /// <summary>min(Q₁(s, ·), Q₂(s, ·)), <c>[B, actions]</c>.</summary>
    public override Tensor Forward(Tensor input) => _q1.Forward(input).Minimum(_q2.Forward(input));
}
