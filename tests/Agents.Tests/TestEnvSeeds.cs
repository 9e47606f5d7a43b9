using RlExperiments.Core;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Tests;

/// <summary>The environment seeds a test run derives from its experiment seed, as callers with only an int seed do.</summary>
internal static class TestEnvSeeds
{
    public static EnvSeeds For(int seed, VectorEnv train, VectorEnv? test) =>
        SeedStreams.FromSeed(seed).EnvironmentSeeds(train.NumEnvs, test?.NumEnvs ?? 0);
}
