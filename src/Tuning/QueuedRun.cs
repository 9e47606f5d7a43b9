namespace RlExperiments.Tuning;

/// <summary>One run of a <see cref="RunQueue"/>.</summary>
/// <param name="Name">The run's name (its directory name in the collection).</param>
/// <param name="Directory">The collection directory the run's directory is in (on a filesystem every worker sees).</param>
/// <param name="State">Waiting, Running, Complete or Failed (<see cref="TrialState"/>'s names).</param>
/// <param name="SessionId">The worker session running or last running it.</param>
/// <param name="HeartbeatUtc">Last sign of life of that worker.</param>
/// <param name="Error">Why it failed, or why it was taken from a dead worker ("stale: ...").</param>
/// <param name="Attempts">How many workers started it (more than 1: it was resumed after a worker died).</param>
public sealed record QueuedRun(string Name, string Directory, TrialState State, string? SessionId, DateTime? HeartbeatUtc, string? Error, int Attempts);
