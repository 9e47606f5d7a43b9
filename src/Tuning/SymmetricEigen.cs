namespace RlExperiments.Tuning;

/// <summary>Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (for CMA-ES's covariance).</summary>
internal static class SymmetricEigen
{
    /// <summary>Eigenvalues (ascending) and eigenvectors (column k belongs to value k) of symmetric <paramref name="a"/>.</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, scale = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    if (i != j) off += m[i, j] * m[i, j];
                    scale += m[i, j] * m[i, j];
                }
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (m[p, q] == 0) continue;
                    // Rotation angle that zeroes m[p, q]: tan 2θ = 2 m_pq / (m_qq − m_pp).
                    double theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq; m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk; m[q, k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq; v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderBy(i => m[i, i]).ToArray();
        var values = order.Select(i => m[i, i]).ToArray();
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++) vectors[i, k] = v[i, order[k]];
        return (values, vectors);
    }
}
