using RlExperiments.Core;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>The environments a trainer uses and the seeds they are reset with (derived once, by <c>SeedStreams.EnvironmentSeeds</c>).</summary>
/// <param name="Train">The training environments.</param>
/// <param name="Test">The test environments, or null when the run tests nothing.</param>
/// <param name="Seeds">The seeds of the training and test environments.</param>
public sealed record TrainerEnvironments(VectorEnv Train, VectorEnv? Test, EnvSeeds Seeds);
