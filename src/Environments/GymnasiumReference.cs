namespace RlExperiments.Environments;

/// <summary>
/// The Gymnasium release whose contract, ids and numbers this layer follows, so a policy trained here
/// faces the dynamics, rewards, terminations and time limits it would face in Python.
/// </summary>
/// <remarks>
/// Followed: Gymnasium 1.1.1 (<c>gymnasium/envs/classic_control</c>, <c>gymnasium/wrappers</c>,
/// <c>gymnasium/envs/__init__.py</c> registrations). The classic-control physics and the registered
/// time limits and reward thresholds are unchanged across the 1.x line. Random numbers come from
/// <see cref="RlExperiments.Core.Rng"/>, not NumPy's PCG64, so a given seed yields different (but equally
/// distributed) initial states than in Python.
/// </remarks>
public static class GymnasiumReference
{
    /// <summary>The Gymnasium version followed: "1.1.1".</summary>
    public const string Version = "1.1.1";
}
