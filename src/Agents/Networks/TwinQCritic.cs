using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// Two independent Q-networks Q₁, Q₂(s, a) on the concatenation [s, a] (Stable-Baselines3's <c>ContinuousCritic</c>
/// with <c>n_critics = 2</c>, children <c>qf0</c> and <c>qf1</c>): clipped double-Q learning uses their minimum (SAC, TD3).
/// </summary>
public sealed class TwinQCritic : Module
{
    private readonly Module _q1;
    private readonly Module _q2;

    /// <summary>Builds both networks with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public TwinQCritic(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Activation activation, Rng rng)
    {
        InputSize = observationSize + actionSize;
        _q1 = RegisterModule("qf0", new Mlp(observationSize + actionSize, hiddenSizes, 1, activation, rng));
        _q2 = RegisterModule("qf1", new Mlp(observationSize + actionSize, hiddenSizes, 1, activation, rng));
    }

    /// <summary>
    /// Combines two separately created Q-networks (e.g. from model factories), each mapping the concatenation
    /// <c>[B, obs + act]</c> to <c>[B, 1]</c>; their parameters are named <c>qf0.*</c> and <c>qf1.*</c>. The shapes are checked here.
    /// </summary>
    /// <exception cref="ArgumentException">A network's output shape is not <c>[B, 1]</c>.</exception>
    public TwinQCritic(Module q1, Module q2, int observationSize, int actionSize)
    {
        ArgumentNullException.ThrowIfNull(q1);
        ArgumentNullException.ThrowIfNull(q2);
        Check(q1, observationSize + actionSize, nameof(q1));
        Check(q2, observationSize + actionSize, nameof(q2));
        if (ReferenceEquals(q1, q2)) throw new ArgumentException("The two critics must be distinct networks.", nameof(q2));
        InputSize = observationSize + actionSize;
        _q1 = RegisterModule("qf0", q1);
        _q2 = RegisterModule("qf1", q2);
    }

    private static void Check(Module q, int inputs, string name)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var y = q.Forward(Tensor.Zeros([1, inputs]));
        if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != 1)
            throw new ArgumentException($"The critic {name} maps [1, {inputs}] (observation ⊕ action) to {y.ShapeString}; expected [1, 1].", name);
    }

    /// <summary>Q₁(s, a) and Q₂(s, a), each <c>[B, 1]</c>, for observations <c>[B, obs]</c> and actions <c>[B, act]</c>.</summary>
    public (Tensor Q1, Tensor Q2) Forward(Tensor observations, Tensor actions)
    {
        var x = Tensor.Cat(observations, actions);
        return (_q1.Forward(x), _q2.Forward(x));
    }

    /// <summary>Width of each network's input, observation + action.</summary>
    public int InputSize { get; }

    /// <summary>Q-network <paramref name="index"/> (0: Q₁, 1: Q₂), e.g. to run the two on different cores (<see cref="TensorParallel"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not 0 or 1.</exception>
    public Module QNetwork(int index) => index switch
    {
        0 => _q1,
        1 => _q2,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A twin critic has Q-networks 0 and 1."),
    };

    /// <summary>Q₁(s, a) alone, <c>[B, 1]</c> (what TD3's actor maximises, as SB3's <c>q1_forward</c>).</summary>
    public Tensor Q1(Tensor observations, Tensor actions) => _q1.Forward(Tensor.Cat(observations, actions));

    /// <summary>min(Q₁, Q₂) for an already concatenated input <c>[B, obs + act]</c>.</summary>
    public override Tensor Forward(Tensor input) => _q1.Forward(input).Minimum(_q2.Forward(input));
}
