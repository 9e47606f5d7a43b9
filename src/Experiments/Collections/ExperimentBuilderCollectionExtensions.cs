using RlExperiments.Experiments.Collections;

namespace RlExperiments.Experiments.Builders;

/// <summary>Seeded collections from a builder (Tianshou's <c>ExperimentBuilder.build_seeded_collection</c>).</summary>
public static class ExperimentBuilderCollectionExtensions
{
    /// <summary>
    /// Builds the experiment once (validating everything) and returns a collection of <paramref name="numExperiments"/>
    /// copies whose seeds are spawned independently from the builder's seed (<see cref="Core.SeedStreams.RunSeeds"/>).
    /// The collection is named after the experiment and lives under its <see cref="ExperimentConfig.PersistenceBaseDir"/>.
    /// </summary>
    /// <param name="builder">The configured builder.</param>
    /// <param name="numExperiments">The number of seeds. Allowed: ≥ 1.</param>
    public static ExperimentCollection BuildSeededCollection<TSelf>(this ExperimentBuilder<TSelf> builder, int numExperiments)
        where TSelf : ExperimentBuilder<TSelf>
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (numExperiments < 1)
            throw new ArgumentOutOfRangeException(nameof(numExperiments), numExperiments, $"numExperiments = {numExperiments} is invalid; allowed: an integer ≥ 1.");
        return ExperimentCollection.Seeded(builder.Build(), numExperiments);
    }
}
