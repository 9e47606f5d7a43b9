using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// An ensemble of E Q-networks Qᵢ(s, a) on the concatenation [s, a] (REDQ's critics; Tianshou's <c>Net</c> with
/// <c>EnsembleLinear</c> layers): every layer is one <see cref="EnsembleLinear"/>, so the whole ensemble costs one batched
/// matrix product per layer instead of E separate ones. Children are named <c>0</c>, <c>1</c>, … (one per layer).
/// </summary>
public sealed class EnsembleQCritic : Module
{
    private readonly EnsembleLinear[] _layers;

    /// <summary>Builds E MLPs of the given widths (hidden layers with <paramref name="activation"/>, a linear output of one
    /// unit), each member initialised as PyTorch's <c>Linear</c> from <paramref name="rng"/>.</summary>
    public EnsembleQCritic(int ensembleSize, int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, Activation activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ensembleSize);
        EnsembleSize = ensembleSize;
        InputSize = observationSize + actionSize;
        _layers = new EnsembleLinear[hiddenSizes.Count + 1];
        var width = InputSize;
        for (var i = 0; i <= hiddenSizes.Count; i++)
        {
            var last = i == hiddenSizes.Count;
            var outputs = last ? 1 : hiddenSizes[i];
            _layers[i] = RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new EnsembleLinear(ensembleSize, width, outputs, rng, last ? Activation.Identity : activation));
            width = outputs;
        }
    }

    /// <summary>Members E.</summary>
    public int EnsembleSize { get; }

    /// <summary>Input width, observation + action.</summary>
    public int InputSize { get; }

    /// <summary>Every member's Q(s, a), <c>[E, B, 1]</c>, for observations <c>[B, obs]</c> and actions <c>[B, act]</c>.</summary>
    public Tensor Forward(Tensor observations, Tensor actions) => Forward(Tensor.Cat(observations, actions));

    /// <summary>Every member's Q for an already concatenated input <c>[B, obs + act]</c>: <c>[E, B, 1]</c>.</summary>
    public override Tensor Forward(Tensor input)
    {
        var h = input;
        for (var i = 0; i < _layers.Length; i++) h = _layers[i].Forward(h);
        return h;
    }
}
