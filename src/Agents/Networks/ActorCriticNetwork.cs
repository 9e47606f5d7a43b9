using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// The policy and value networks of the on-policy actor-critic algorithms (PPO, A2C), as Stable-Baselines3's <c>ActorCriticPolicy</c> with an MLP:
/// either two separate MLPs (<c>actor.*</c> → action logits or Gaussian mean, <c>critic.*</c> → V(s)), or one
/// shared hidden trunk (<c>trunk.*</c>) with two linear heads (<c>action_head</c>, <c>value_head</c>). A
/// continuous policy adds the state-independent log standard deviation <c>log_std</c> [action size].
/// </summary>
public sealed class ActorCriticNetwork : Module, IStochasticPolicyNetwork, IActingPlans
{
    private readonly Module? _actor;
    private readonly Module? _critic;
    private readonly Sequential? _trunk;
    private readonly Linear? _actionHead;
    private readonly Linear? _valueHead;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="observationSize">Input width.</param>
    /// <param name="actionOutputs">Actor output width: the number of discrete actions, or the Box size.</param>
    /// <param name="continuous">Whether the actor outputs a Gaussian mean (adds <c>log_std</c>).</param>
    /// <param name="hiddenSizes">Hidden widths of each MLP (or of the shared trunk).</param>
    /// <param name="activation">Hidden nonlinearity.</param>
    /// <param name="share">One shared trunk instead of two networks.</param>
    /// <param name="orthoInit">Orthogonal init (hidden √2, policy head 0.01, value head 1, zero biases).</param>
    /// <param name="logStdInit">Initial log-std of a continuous policy.</param>
    /// <param name="rng">The initialisation stream.</param>
    public ActorCriticNetwork(int observationSize, int actionOutputs, bool continuous, IReadOnlyList<int> hiddenSizes,
        Activation activation, bool share, bool orthoInit, float logStdInit, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(rng);
        ObservationSize = observationSize;
        ActionOutputs = actionOutputs;
        IsContinuous = continuous;
        IsShared = share;
        if (share)
        {
            _trunk = RegisterModule("trunk", new Sequential(Mlp.HiddenLayers(observationSize, hiddenSizes, activation, rng, out var width)));
            _actionHead = RegisterModule("action_head", new Linear(width, actionOutputs, rng));
            _valueHead = RegisterModule("value_head", new Linear(width, 1, rng));
            if (orthoInit)
            {
                foreach (var l in _trunk.Layers.OfType<Linear>()) l.InitOrthogonal(MathF.Sqrt(2f), rng);
                _actionHead.InitOrthogonal(0.01f, rng);
                _valueHead.InitOrthogonal(1f, rng);
            }
        }
        else
        {
            var actor = RegisterModule("actor", new Mlp(observationSize, hiddenSizes, actionOutputs, activation, rng));
            var critic = RegisterModule("critic", new Mlp(observationSize, hiddenSizes, 1, activation, rng));
            _actor = actor;
            _critic = critic;
            if (orthoInit)
            {
                InitMlp(actor, 0.01f, rng);
                InitMlp(critic, 1f, rng);
            }
        }
        if (continuous)
            LogStd = RegisterParameter("log_std", Tensor.Full([actionOutputs], logStdInit));
    }

    /// <summary>
    /// Combines separately created networks (e.g. from model factories): <paramref name="actor"/> maps
    /// <c>[B, observationSize]</c> to <c>[B, actionOutputs]</c> (logits or Gaussian mean), <paramref name="critic"/>
    /// maps <c>[B, observationSize]</c> to V(s) <c>[B, 1]</c>. Their parameters are named <c>actor.*</c> and
    /// <c>critic.*</c>, as in the unshared layout. The output shapes are checked here.
    /// </summary>
    /// <param name="actor">The policy network.</param>
    /// <param name="critic">The value network.</param>
    /// <param name="observationSize">Input width.</param>
    /// <param name="actionOutputs">Actor output width: the number of discrete actions, or the Box size.</param>
    /// <param name="continuous">Whether the actor outputs a Gaussian mean (adds <c>log_std</c>).</param>
    /// <param name="logStdInit">Initial log-std of a continuous policy.</param>
    /// <exception cref="ArgumentException">A network's output shape does not fit.</exception>
    public ActorCriticNetwork(Module actor, Module critic, int observationSize, int actionOutputs, bool continuous, float logStdInit)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(critic);
        ObservationSize = observationSize;
        ActionOutputs = actionOutputs;
        IsContinuous = continuous;
        CheckOutput(actor, observationSize, actionOutputs, nameof(actor));
        CheckOutput(critic, observationSize, 1, nameof(critic));
        _actor = RegisterModule("actor", actor);
        _critic = RegisterModule("critic", critic);
        if (continuous)
            LogStd = RegisterParameter("log_std", Tensor.Full([actionOutputs], logStdInit));
    }

    private static void CheckOutput(Module module, int inputs, int outputs, string name)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var y = module.Forward(Tensor.Zeros([1, inputs]));
        if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != outputs)
            throw new ArgumentException($"The {name} network maps [1, {inputs}] to {y.ShapeString}; expected [1, {outputs}].", name);
    }

    /// <summary>Input width.</summary>
    public int ObservationSize { get; }

    /// <summary>Actor output width.</summary>
    public int ActionOutputs { get; }

    /// <summary>Whether the actor parameterises a Gaussian.</summary>
    public bool IsContinuous { get; }

    /// <summary>Whether actor and critic share a trunk.</summary>
    public bool IsShared { get; }

    /// <summary>The state-independent log-std [action size] of a continuous policy, or null.</summary>
    public Tensor? LogStd { get; }

    /// <summary>The actor's output [B, outputs]: logits, or the Gaussian mean.</summary>
    public override Tensor Forward(Tensor input) =>
        _trunk is null ? _actor!.Forward(input) : _actionHead!.Forward(_trunk.Forward(input));

    /// <summary>V(s) as [B] (a view of the critic's [B, 1] output).</summary>
    public Tensor Value(Tensor input)
    {
        var v = _trunk is null ? _critic!.Forward(input) : _valueHead!.Forward(_trunk.Forward(input));
        return v.Reshape([v.Shape[0]]);
    }

    /// <summary>Actor output and V(s) [B] in one pass (the trunk runs once when shared).</summary>
    public (Tensor ActorOutput, Tensor Value) ForwardBoth(Tensor input)
    {
        Tensor actor, value;
        if (_trunk is null)
        {
            actor = _actor!.Forward(input);
            value = _critic!.Forward(input);
        }
        else
        {
            var h = _trunk.Forward(input);
            actor = _actionHead!.Forward(h);
            value = _valueHead!.Forward(h);
        }
        return (actor, value.Reshape([value.Shape[0]]));
    }

    private static void InitMlp(Mlp mlp, float headGain, Rng rng)
    {
        var layers = mlp.LinearLayers.ToArray();
        for (var i = 0; i < layers.Length; i++)
            layers[i].InitOrthogonal(i == layers.Length - 1 ? headGain : MathF.Sqrt(2f), rng);
    }

    /// <inheritdoc />
    (InferencePlan Policy, InferencePlan Value)? IActingPlans.CompileActing(int maxBatch) =>
        _actor is Sequential actor && _critic is Sequential critic && InferencePlan.CanCompile(actor) && InferencePlan.CanCompile(critic)
            ? (new InferencePlan(actor, maxBatch), new InferencePlan(critic, maxBatch))
            : null;
}
