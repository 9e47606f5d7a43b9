using RlExperiments.Core;

namespace RlExperiments.Tensors.Nn;

/// <summary>Weight initialisers.</summary>
public static class Init
{
    /// <summary>
    /// Fills a 2-D tensor with a (semi-)orthogonal matrix times <paramref name="gain"/>, as PyTorch's
    /// <c>nn.init.orthogonal_</c>: the Q factor, with positive R diagonal, of a standard normal matrix.
    /// Gram–Schmidt in double precision yields exactly that Q.
    /// </summary>
    public static void Orthogonal(Tensor weight, float gain, Rng rng)
    {
        if (weight.Rank != 2)
            throw new ArgumentException($"Orthogonal init needs a 2-D tensor; got {weight.ShapeString}.", nameof(weight));
        int rows = weight.Shape[0], cols = weight.Shape[1];
        var transpose = rows < cols;
        int tall = transpose ? cols : rows, wide = transpose ? rows : cols;
        // Columns of a tall×wide normal matrix, orthonormalised (modified Gram–Schmidt, applied twice for stability).
        var q = new double[wide][];
        for (var j = 0; j < wide; j++)
        {
            q[j] = new double[tall];
            for (var i = 0; i < tall; i++) q[j][i] = rng.Normal();
        }
        for (var j = 0; j < wide; j++)
        {
            for (var pass = 0; pass < 2; pass++)
                for (var k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (var i = 0; i < tall; i++) dot += q[k][i] * q[j][i];
                    for (var i = 0; i < tall; i++) q[j][i] -= dot * q[k][i];
                }
            double norm = 0;
            for (var i = 0; i < tall; i++) norm += q[j][i] * q[j][i];
            norm = Math.Sqrt(norm);
            for (var i = 0; i < tall; i++) q[j][i] /= norm;
        }
        var w = weight.Data;
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                w[r * cols + c] = (float)(gain * (transpose ? q[r][c] : q[c][r]));
    }
}
