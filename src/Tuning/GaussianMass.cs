namespace RlExperiments.Tuning;

/// <summary>
/// Standard normal probabilities in log space, accurate to about 1e-15 relative, for the TPE's truncated and
/// discretised Parzen kernels: <see cref="LogMass"/> is log(Φ(b) − Φ(a)) without the cancellation of subtracting two
/// CDFs in the same tail, and without underflow far out in the tails.
/// </summary>
internal static class GaussianMass
{
    private static readonly double LogSqrtPi = 0.5 * Math.Log(Math.PI);
    private static readonly double InvSqrtPi = 1.0 / Math.Sqrt(Math.PI);
    private static readonly double Sqrt2 = Math.Sqrt(2.0);

    /// <summary>log(Φ(b) − Φ(a)) for a &lt; b (either may be infinite): the log probability of [a, b] under N(0, 1).</summary>
    public static double LogMass(double a, double b)
    {
        if (!(a < b)) return double.NegativeInfinity;
        // Both in the left tail: log Φ(b) + log(1 − Φ(a)/Φ(b)); the right tail mirrors it; else 1 − Φ(a) − Φ(−b).
        if (b <= 0) return LogDiff(LogNdtr(b), LogNdtr(a));
        if (a > 0) return LogDiff(LogNdtr(-a), LogNdtr(-b));
        return Log1p(-0.5 * Erfc(-a / Sqrt2) - 0.5 * Erfc(b / Sqrt2));
    }

    /// <summary>log Φ(z), the log of the standard normal CDF, finite down to z ≈ −1e150.</summary>
    public static double LogNdtr(double z)
    {
        if (double.IsNegativeInfinity(z)) return double.NegativeInfinity;
        if (z > 0) return Log1p(-0.5 * Erfc(z / Sqrt2));
        return Math.Log(0.5) + LogErfc(-z / Sqrt2);
    }

    /// <summary>erfc(x) = 1 − erf(x).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2.0 - Erfc(-x);
        if (x < 2.5) return 1.0 - ErfSeries(x);
        if (x > 27.5) return 0.0;
        return Math.Exp(-x * x) * InvSqrtPi / ContinuedFraction(x);
    }

    /// <summary>log erfc(x) for x ≥ 0, finite where erfc(x) underflows.</summary>
    private static double LogErfc(double x)
    {
        if (x < 2.5) return Math.Log(Erfc(x));
        if (double.IsPositiveInfinity(x)) return double.NegativeInfinity;
        return -x * x - LogSqrtPi - Math.Log(ContinuedFraction(x));
    }

    /// <summary>erf(x) = (2/√π) e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3···(2n+1)): all terms positive, so no cancellation (0 ≤ x &lt; 2.5).</summary>
    private static double ErfSeries(double x)
    {
        double term = x, sum = x, twoX2 = 2 * x * x;
        for (int n = 0; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= twoX2 / (2 * n + 3);
            sum += term;
        }
        return 2 * InvSqrtPi * Math.Exp(-x * x) * sum;
    }

    /// <summary>
    /// K(x) = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))), so that erfc(x) = e^(−x²) / (√π K(x)); modified Lentz, x ≥ 2.5.
    /// </summary>
    private static double ContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int j = 1; j < 500; j++)
        {
            double a = 0.5 * j;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return f;
    }

    /// <summary>log(1 + x), accurate for small x (Goldberg's correction of the rounding in 1 + x).</summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>log(e^p − e^q) for q ≤ p.</summary>
    private static double LogDiff(double logP, double logQ) =>
        double.IsNegativeInfinity(logQ) ? logP : logP + Log1p(-Math.Exp(logQ - logP));
}
