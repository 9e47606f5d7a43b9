namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// One row of the learning-quality table: train <see cref="Algorithm"/> on <see cref="EnvId"/> for
/// <see cref="Budget"/> environment steps with the named preset, then evaluate 10 deterministic episodes.
/// </summary>
/// <remarks>
/// A row with <see cref="JudgeKeptBest"/> counts a seed as a success on the policy kept by the framework's eval callback
/// (<see cref="KeptBest"/>) instead of the final snapshot; both figures are printed either way.
/// </remarks>
/// <param name="Name">Case name, e.g. "dqn_cartpole".</param>
/// <param name="Algorithm">Algorithm name as printed.</param>
/// <param name="EnvId">Registered environment id.</param>
/// <param name="Budget">Environment steps of training.</param>
/// <param name="Threshold">Final return a seed must reach to count as a success.</param>
/// <param name="Required">False for stretch rows.</param>
/// <param name="Run">Trains one seed and reports the outcome.</param>
/// <param name="JudgeKeptBest">Successes are counted on <see cref="SeedOutcome.KeptBestReturn"/> (see the remarks).</param>
public sealed record LearningCase(string Name, string Algorithm, string EnvId, long Budget, double Threshold, bool Required, Func<int, SeedOutcome> Run,
    bool JudgeKeptBest = false)
{
    /// <summary>The figure a seed is judged on: the kept-best return for rows that judge on it, else the final return.</summary>
    public double Judged(SeedOutcome outcome) => JudgeKeptBest
        ? outcome.KeptBestReturn ?? throw new InvalidOperationException($"{Name} judges on the kept-best policy, but the seed has no kept-best return.")
        : outcome.FinalReturn;
}

/// <summary>What one seed of a learning case produced.</summary>
/// <param name="FinalReturn">Mean return of 10 deterministic test episodes of the policy at the end of training (the final snapshot).</param>
/// <param name="WallSeconds">Wall time of training (evaluation excluded).</param>
/// <param name="EnvSteps">Environment steps actually taken.</param>
/// <param name="GradientSteps">Gradient updates applied.</param>
/// <param name="KeptBestReturn">Mean return of the same 10 test episodes of the policy the eval callback kept (<see cref="KeptBest"/>), or null when the row did not run it.</param>
public sealed record SeedOutcome(double FinalReturn, double WallSeconds, long EnvSteps, long GradientSteps, double? KeptBestReturn = null);
