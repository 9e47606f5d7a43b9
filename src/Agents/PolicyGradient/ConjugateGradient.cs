namespace RlExperiments.Agents.PolicyGradient;

/// <summary>A symmetric positive-definite linear map <c>result = A·v</c>, given only as a product (e.g. a Fisher–vector product).</summary>
/// <param name="v">The vector to multiply.</param>
/// <param name="result">Receives <c>A·v</c> (same length as <paramref name="v"/>).</param>
public delegate void LinearOperator(ReadOnlySpan<double> v, Span<double> result);

/// <summary>The conjugate-gradient method for <c>A x = b</c> with a symmetric positive-definite <c>A</c> known only through products.</summary>
public static class ConjugateGradient
{
    /// <summary>
    /// Solves <c>A x = b</c> starting from <c>x = 0</c> with at most <paramref name="iterations"/> steps (Tianshou's and
    /// Schulman's TRPO use 10): r = b, p = b; repeat α = rᵀr / pᵀAp, x += α p, r −= α A p, stop when rᵀr &lt;
    /// <paramref name="residualTolerance"/>, p = r + (r'ᵀr' / rᵀr) p.
    /// </summary>
    /// <param name="a">The product with A.</param>
    /// <param name="b">The right-hand side.</param>
    /// <param name="x">Receives the solution (same length as <paramref name="b"/>).</param>
    /// <param name="iterations">Maximum number of iterations, ≥ 1.</param>
    /// <param name="residualTolerance">Stop when the squared residual norm falls below this.</param>
    /// <returns>The number of iterations done.</returns>
    public static int Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, int iterations, double residualTolerance = 1e-10) =>
        Solve(a, b, x, iterations, new double[WorkspaceSize(b.Length)], residualTolerance);

    /// <summary>The length of the workspace <see cref="Solve(LinearOperator, ReadOnlySpan{double}, Span{double}, int, Span{double}, double)"/> needs for n unknowns: 3n.</summary>
    public static int WorkspaceSize(int n) => 3 * n;

    /// <summary>As <see cref="Solve(LinearOperator, ReadOnlySpan{double}, Span{double}, int, double)"/>, with the residual and direction vectors in a caller-owned workspace of <see cref="WorkspaceSize"/> entries (no allocation).</summary>
    /// <param name="a">The product with A.</param>
    /// <param name="b">The right-hand side.</param>
    /// <param name="x">Receives the solution (same length as <paramref name="b"/>).</param>
    /// <param name="iterations">Maximum number of iterations, ≥ 1.</param>
    /// <param name="workspace">Scratch space of at least <c>3·b.Length</c> entries; overwritten.</param>
    /// <param name="residualTolerance">Stop when the squared residual norm falls below this.</param>
    /// <returns>The number of iterations done.</returns>
    public static int Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, int iterations, Span<double> workspace, double residualTolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (x.Length != b.Length) throw new ArgumentException($"x has {x.Length} entries, b {b.Length}.", nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var n = b.Length;
        if (workspace.Length < WorkspaceSize(n)) throw new ArgumentException($"The workspace has {workspace.Length} entries; {WorkspaceSize(n)} are needed.", nameof(workspace));
        var r = workspace[..n];
        var p = workspace.Slice(n, n);
        var ap = workspace.Slice(2 * n, n);
        b.CopyTo(r);
        b.CopyTo(p);
        x.Clear();
        var rr = Dot(r, r);
        var done = 0;
        while (done < iterations && rr >= residualTolerance)
        {
            a(p, ap);
            var pap = Dot(p, ap);
            if (!(pap > 0)) break; // not positive definite along p (or NaN): keep the iterate so far.
            var alpha = rr / pap;
            for (var i = 0; i < n; i++)
            {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            done++;
            var rrNew = Dot(r, r);
            var beta = rrNew / rr;
            for (var i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
            rr = rrNew;
        }
        return done;
    }

    /// <summary>Σ a_i·b_i.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
