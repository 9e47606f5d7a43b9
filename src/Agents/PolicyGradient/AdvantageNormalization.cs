namespace RlExperiments.Agents.PolicyGradient;

/// <summary>Per-minibatch advantage normalisation, shared by the actor-critic agents.</summary>
public static class AdvantageNormalization
{
    /// <summary>
    /// Normalises advantages in place: <c>(A − mean(A)) / (std(A) + 1e-8)</c> with the unbiased std, as
    /// Stable-Baselines3 (<c>advantages.std()</c> in PyTorch divides by n − 1). Needs at least 2 values; a
    /// single value is left unchanged.
    /// </summary>
    public static void Normalize(Span<float> advantages)
    {
        var n = advantages.Length;
        if (n < 2) return;
        double mean = 0;
        foreach (var a in advantages) mean += a;
        mean /= n;
        double ss = 0;
        foreach (var a in advantages) ss += (a - mean) * (a - mean);
        var std = Math.Sqrt(ss / (n - 1));
        var scale = 1.0 / (std + 1e-8);
        for (var i = 0; i < n; i++) advantages[i] = (float)((advantages[i] - mean) * scale);
    }
}
