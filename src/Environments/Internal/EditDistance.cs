namespace RlExperiments.Environments.Internal;

/// <summary>Levenshtein distance, for "did you mean" suggestions in error messages.</summary>
internal static class EditDistance
{
    /// <summary>The number of single-character insertions, deletions and substitutions turning <paramref name="a"/> into <paramref name="b"/> (case-insensitive).</summary>
    public static int Levenshtein(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// The candidate closest to <paramref name="value"/>, or null when there are none. Ties go to the longer
    /// common prefix, then to the later candidate in ordinal order (so "CartPole-v2" suggests the latest
    /// version, "CartPole-v1").
    /// </summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestPrefix = -1;
        foreach (var candidate in candidates)
        {
            var d = Levenshtein(value, candidate);
            var prefix = CommonPrefix(value, candidate);
            if (d < bestDistance || (d == bestDistance && (prefix > bestPrefix ||
                (prefix == bestPrefix && string.CompareOrdinal(candidate, best) > 0))))
            {
                best = candidate;
                bestDistance = d;
                bestPrefix = prefix;
            }
        }
        return best;
    }

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && char.ToLowerInvariant(a[n]) == char.ToLowerInvariant(b[n]))
            n++;
        return n;
    }
}
