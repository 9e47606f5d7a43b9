namespace RlExperiments.Agents.Training;

/// <summary>
/// The state of a <see cref="MetricAccumulator"/> for checkpoints: the number of updates accumulated and each metric's
/// running sum by tag, so a resumed run writes the same means. JSON-friendly.
/// </summary>
/// <param name="Count">Updates accumulated since the last write.</param>
/// <param name="Sums">The running sum of each metric, by tag.</param>
public sealed record MetricAccumulatorState(int Count, Dictionary<string, double> Sums);
