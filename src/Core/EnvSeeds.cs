namespace RlExperiments.Core;

/// <summary>
/// The seeds of a run's environments, derived from the experiment seed by <see cref="SeedStreams.EnvironmentSeeds"/>
/// and given to the environment factory and the trainers, so both reset the same environments with the same seeds.
/// </summary>
/// <param name="Train">Training environment i is reset with <c>Train + i</c>.</param>
/// <param name="Test">Test environment j is reset with <c>Test + j</c> (unused without test environments).</param>
/// <param name="Watch">The watch environment's seed.</param>
public readonly record struct EnvSeeds(int Train, int Test, int Watch);
