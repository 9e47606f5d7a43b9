namespace RlExperiments.Environments;

/// <summary>
/// What one <see cref="Env.Step(int, Span{float})"/> returns besides the observation, which is written into
/// the caller's buffer, and the info, which is the environment's reusable <see cref="Env.Info"/> (Gymnasium's
/// <c>(obs, reward, terminated, truncated, info)</c>). Sixteen bytes without references, so it is returned
/// in registers through every wrapper layer.
/// </summary>
/// <param name="Reward">The reward for this transition.</param>
/// <param name="Terminated">The MDP reached a terminal state (pole fell, goal reached): do not bootstrap.</param>
/// <param name="Truncated">The episode was cut short from outside the MDP (a time limit): bootstrap from the observation.</param>
public readonly record struct StepResult(double Reward, bool Terminated, bool Truncated)
{
    /// <summary>True when the episode ended, by termination or truncation; call Reset before stepping again.</summary>
    public bool Done => Terminated || Truncated;
}
