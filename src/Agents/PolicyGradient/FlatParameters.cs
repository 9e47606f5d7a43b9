using RlExperiments.Tensors;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>A list of parameter tensors seen as one flat vector (in list order, each tensor row-major), for the natural-gradient agents.</summary>
public static class FlatParameters
{
    /// <summary>The total number of scalars.</summary>
    public static int Count(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var n = 0;
        for (var j = 0; j < parameters.Count; j++) n += parameters[j].Count;
        return n;
    }

    /// <summary>Copies the values into <paramref name="destination"/> (widened to double, exactly).</summary>
    public static void Read(IReadOnlyList<Tensor> parameters, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var k = 0;
        for (var j = 0; j < parameters.Count; j++) // indexed, not foreach: an interface enumerator would allocate
            foreach (var v in parameters[j].Data) destination[k++] = v;
    }

    /// <summary>Writes <paramref name="source"/> into the values (rounded to float; a vector read by <see cref="Read"/> restores them exactly).</summary>
    public static void Write(IReadOnlyList<Tensor> parameters, ReadOnlySpan<double> source)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var k = 0;
        for (var j = 0; j < parameters.Count; j++)
        {
            var p = parameters[j];
            var d = p.Data;
            for (var i = 0; i < d.Length; i++) d[i] = (float)source[k++];
        }
    }

    /// <summary>Writes <c>θ + α·v</c> into the values.</summary>
    public static void WriteAxpy(IReadOnlyList<Tensor> parameters, ReadOnlySpan<double> theta, double alpha, ReadOnlySpan<double> v)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var k = 0;
        for (var j = 0; j < parameters.Count; j++)
        {
            var p = parameters[j];
            var d = p.Data;
            for (var i = 0; i < d.Length; i++, k++) d[i] = (float)(theta[k] + alpha * v[k]);
        }
    }

    /// <summary>Copies the accumulated gradients into <paramref name="destination"/> (0 for a parameter without one).</summary>
    public static void ReadGradients(IReadOnlyList<Tensor> parameters, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var k = 0;
        for (var j = 0; j < parameters.Count; j++)
        {
            var p = parameters[j];
            var g = p.Grad;
            if (g is null)
            {
                destination.Slice(k, p.Count).Clear();
                k += p.Count;
                continue;
            }
            foreach (var v in g.Data) destination[k++] = v;
        }
    }
}
