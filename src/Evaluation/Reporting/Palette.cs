namespace RlExperiments.Evaluation.Reporting;

/// <summary>
/// The Okabe–Ito palette (Okabe &amp; Ito 2008), distinguishable under the common forms of colour blindness, ordered so that
/// the first colours contrast most on white. Yellow comes last: it is hard to see on white.
/// </summary>
public static class Palette
{
    /// <summary>Blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow.</summary>
    public static IReadOnlyList<string> OkabeIto { get; } =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    /// <summary>The colour of the <paramref name="index"/>-th series (cycling after 8).</summary>
    public static string Color(int index) => OkabeIto[((index % OkabeIto.Count) + OkabeIto.Count) % OkabeIto.Count];

    /// <summary>A dash pattern that separates series once the colours cycle (null for the first 8).</summary>
    public static string? Dash(int index) => (index / OkabeIto.Count % 3) switch { 0 => null, 1 => "6 3", _ => "2 3" };
}
