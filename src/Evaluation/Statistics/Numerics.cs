namespace RlExperiments.Evaluation.Statistics;

/// <summary>Gauss–Legendre nodes and a bracketing root finder used by the distributions.</summary>
internal static class Numerics
{
    /// <summary>Nodes and weights of the 16-point Gauss–Legendre rule on [-1, 1].</summary>
    public static readonly (double[] Nodes, double[] Weights) Legendre16 = LegendreRule(16);

    /// <summary>Computes an n-point Gauss–Legendre rule by Newton iteration on P_n.</summary>
    public static (double[] Nodes, double[] Weights) LegendreRule(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        for (var i = 0; i < (n + 1) / 2; i++)
        {
            var x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative;
            for (var iteration = 0; ; iteration++)
            {
                double p0 = 1, p1 = x;
                for (var j = 2; j <= n; j++)
                {
                    var p2 = ((2 * j - 1) * x * p1 - (j - 1) * p0) / j;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = n * (x * p1 - p0) / (x * x - 1);
                var step = p1 / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16 || iteration > 100)
                    break;
            }
            nodes[i] = -x;
            nodes[n - 1 - i] = x;
            weights[i] = weights[n - 1 - i] = 2 / ((1 - x * x) * derivative * derivative);
        }
        return (nodes, weights);
    }

    /// <summary>log(1 + x), accurate for small x (Kahan's trick).</summary>
    public static double Log1p(double x)
    {
        var u = 1 + x;
        if (u == 1)
            return x;
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>exp(x) − 1, accurate for small x (Kahan's trick).</summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5)
            return x + 0.5 * x * x + x * x * x / 6;
        var u = Math.Exp(x);
        if (u == 1)
            return x;
        var um1 = u - 1;
        if (um1 == -1)
            return -1;
        if (double.IsPositiveInfinity(u))
            return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>
    /// Brent's method: a root of <paramref name="f"/> in [<paramref name="a"/>, <paramref name="b"/>], where f(a) and f(b)
    /// have opposite signs (or one is zero).
    /// </summary>
    public static double Brent(Func<double, double> f, double a, double b, double tolerance = 1e-12, int maxIterations = 200)
    {
        double fa = f(a), fb = f(b);
        if (fa == 0)
            return a;
        if (fb == 0)
            return b;
        if (Math.Sign(fa) == Math.Sign(fb))
            throw new InvalidOperationException($"Root not bracketed: f({a}) = {fa}, f({b}) = {fb}.");
        double c = a, fc = fa, d = b - a, e = d;
        for (var i = 0; i < maxIterations; i++)
        {
            if (Math.Sign(fb) == Math.Sign(fc))
            {
                c = a;
                fc = fa;
                d = e = b - a;
            }
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b; b = c; c = a;
                fa = fb; fb = fc; fc = fa;
            }
            var tol = 2 * 1e-16 * Math.Abs(b) + 0.5 * tolerance;
            var m = 0.5 * (c - b);
            if (Math.Abs(m) <= tol || fb == 0)
                return b;
            if (Math.Abs(e) >= tol && Math.Abs(fa) > Math.Abs(fb))
            {
                double p, q, r;
                var s = fb / fa;
                if (a == c)
                {
                    p = 2 * m * s;
                    q = 1 - s;
                }
                else
                {
                    q = fa / fc;
                    r = fb / fc;
                    p = s * (2 * m * q * (q - r) - (b - a) * (r - 1));
                    q = (q - 1) * (r - 1) * (s - 1);
                }
                if (p > 0)
                    q = -q;
                else
                    p = -p;
                if (2 * p < Math.Min(3 * m * q - Math.Abs(tol * q), Math.Abs(e * q)))
                {
                    e = d;
                    d = p / q;
                }
                else
                {
                    d = m;
                    e = d;
                }
            }
            else
            {
                d = m;
                e = d;
            }
            a = b;
            fa = fb;
            b += Math.Abs(d) > tol ? d : (m > 0 ? tol : -tol);
            fb = f(b);
        }
        return b;
    }
}
