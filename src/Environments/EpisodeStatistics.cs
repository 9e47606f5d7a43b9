namespace RlExperiments.Environments;

/// <summary>
/// Statistics of one finished episode, as Gymnasium's <c>info["episode"] = {"r", "l", "t"}</c>.
/// </summary>
/// <param name="Return">The undiscounted sum of rewards ("r").</param>
/// <param name="Length">The number of steps ("l").</param>
/// <param name="Time">Wall-clock seconds since the episode began, rounded to microseconds ("t").</param>
public readonly record struct EpisodeStatistics(double Return, int Length, double Time);
