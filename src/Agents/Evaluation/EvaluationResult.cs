namespace RlExperiments.Agents.Evaluation;

/// <summary>Returns and lengths of evaluation episodes, with their summary statistics.</summary>
/// <param name="Returns">Undiscounted return of each episode.</param>
/// <param name="Lengths">Length of each episode.</param>
public sealed record EvaluationResult(IReadOnlyList<double> Returns, IReadOnlyList<int> Lengths)
{
    /// <summary>Mean return.</summary>
    public double Mean => Returns.Count == 0 ? double.NaN : Returns.Average();

    /// <summary>Population standard deviation of the returns (as NumPy's default <c>std</c>).</summary>
    public double Std
    {
        get
        {
            if (Returns.Count == 0) return double.NaN;
            var m = Mean;
            return Math.Sqrt(Returns.Sum(r => (r - m) * (r - m)) / Returns.Count);
        }
    }

    /// <summary>Mean episode length.</summary>
    public double MeanLength => Lengths.Count == 0 ? double.NaN : Lengths.Average();

    /// <summary>Writes <c>test/return_mean</c>, <c>test/return_std</c> and <c>test/length_mean</c> at <paramref name="envStep"/>.</summary>
    public void WriteTo(Training.IMetricsSink sink, long envStep)
    {
        sink.Write("test/return_mean", Mean, envStep);
        sink.Write("test/return_std", Std, envStep);
        sink.Write("test/length_mean", MeanLength, envStep);
    }
}
