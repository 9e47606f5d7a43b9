using System.Diagnostics;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>
/// Stopwatch ticks spent in each phase of a training run, added up by the timing wrappers
/// (<see cref="TimedEnv"/>, <see cref="TimedOffPolicyAgent"/>, <see cref="TimedOnPolicyAlgorithm"/>). Plain fields, so
/// timing a call costs two <see cref="Stopwatch.GetTimestamp"/> reads and allocates nothing. With
/// <see cref="Enabled"/> false the wrappers skip the clock reads (the run then has no split).
/// </summary>
public sealed class PhaseClock
{
    /// <summary>Whether the wrappers read the clock.</summary>
    public bool Enabled = true;

    /// <summary>Ticks choosing actions (exploration, rollout actions and value predictions).</summary>
    public long ActTicks;

    /// <summary>Ticks of the acting calls that ran the network (DQN's warm-up draws uniform actions without it).</summary>
    public long NetworkActTicks;

    /// <summary>Acting calls that ran the network.</summary>
    public long NetworkActCalls;

    /// <summary>Ticks in the agents' updates (sampling included).</summary>
    public long UpdateTicks;

    /// <summary>Update calls (DQN: one gradient step each; PPO: one rollout's epochs of minibatch steps).</summary>
    public long UpdateCalls;

    /// <summary>Ticks inside the environments' Step and Reset (auto-resets included).</summary>
    public long EnvTicks;

    /// <summary>Seconds of <paramref name="ticks"/> Stopwatch ticks.</summary>
    public static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
