namespace RlExperiments.Agents.Algorithms.Dqn;

/// <summary>
/// The linear exploration schedule of Stable-Baselines3's DQN (<c>get_linear_fn</c>): ε falls linearly from
/// <see cref="Initial"/> to <see cref="Final"/> over the first <see cref="Fraction"/> of training and stays at
/// <see cref="Final"/> afterwards.
/// </summary>
/// <param name="Initial">ε at the start of training.</param>
/// <param name="Final">ε from <see cref="Fraction"/> of training on.</param>
/// <param name="Fraction">The fraction of training over which ε decays, in [0, 1] (0: <see cref="Final"/> at once).</param>
public readonly record struct EpsilonSchedule(double Initial, double Final, double Fraction)
{
    /// <summary>ε after <paramref name="progress"/> (environment steps taken / total steps, in [0, 1]).</summary>
    public double Value(double progress)
    {
        if (progress >= Fraction) return Final;
        return Initial + progress * (Final - Initial) / Fraction;
    }
}
