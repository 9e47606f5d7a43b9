namespace RlExperiments.Tensors.Nn;

/// <summary>Modules applied in order; children are named "0", "1", ... as in PyTorch.</summary>
public class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>Chains <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers)
    {
        _layers = layers;
        for (var i = 0; i < layers.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>
    /// Applies the layers in order. A <see cref="Linear"/> layer followed by an <see cref="ActivationModule"/> runs as
    /// one fused op (<see cref="Tensor.Linear(Tensor, Tensor, Tensor?, Activation)"/>): same values and gradients,
    /// fewer tensors and graph nodes.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        var layers = _layers;
        for (var i = 0; i < layers.Length; i++)
        {
            if (layers[i] is Linear linear && i + 1 < layers.Length && layers[i + 1] is ActivationModule activation)
            {
                x = Tensor.Linear(x, linear.Weight, linear.Bias, activation.Kind);
                i++;
            }
            else
            {
                x = layers[i].Forward(x);
            }
        }
        return x;
    }
}
