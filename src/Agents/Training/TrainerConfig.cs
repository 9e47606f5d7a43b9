namespace RlExperiments.Agents.Training;

/// <summary>
/// How a training loop is organised, in Tianshou's terms: <see cref="NumEpochs"/> epochs of
/// <see cref="EpochNumSteps"/> environment steps each, every epoch followed by a test phase of
/// <see cref="NumTestEpisodes"/> episodes on separate test environments.
/// </summary>
/// <param name="NumEpochs">Number of epochs.</param>
/// <param name="EpochNumSteps">Environment steps (summed over the vector's environments) per epoch.</param>
/// <param name="NumTestEpisodes">Test episodes after each epoch (0 disables testing).</param>
/// <param name="DeterministicEval">Whether test episodes use the deterministic (greedy / mean) action.</param>
/// <param name="TestAtStart">Whether to run a test phase before the first epoch (Tianshou does).</param>
/// <param name="EvalEps">
/// With <paramref name="DeterministicEval"/> false, the ε an ε-greedy agent tests with (ARLBench's <c>eval_eps</c>,
/// Tianshou's test ε), its training ε put back afterwards; null: the agent's current ε. Allowed: null or [0, 1].
/// </param>
public sealed record TrainerConfig(
    int NumEpochs,
    int EpochNumSteps,
    int NumTestEpisodes = 10,
    bool DeterministicEval = true,
    bool TestAtStart = false,
    double? EvalEps = null)
{
    /// <summary>Total environment steps: epochs times steps per epoch.</summary>
    public long TotalSteps => (long)NumEpochs * EpochNumSteps;

    /// <summary>Throws with the field name and allowed range when a value is invalid.</summary>
    public void Validate()
    {
        if (NumEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(NumEpochs), NumEpochs, "NumEpochs must be ≥ 1.");
        if (EpochNumSteps <= 0) throw new ArgumentOutOfRangeException(nameof(EpochNumSteps), EpochNumSteps, "EpochNumSteps must be ≥ 1.");
        if (NumTestEpisodes < 0) throw new ArgumentOutOfRangeException(nameof(NumTestEpisodes), NumTestEpisodes, "NumTestEpisodes must be ≥ 0.");
        if (EvalEps is { } e && !(e >= 0 && e <= 1)) throw new ArgumentOutOfRangeException(nameof(EvalEps), EvalEps, $"TrainerConfig.EvalEps = {e} is invalid; allowed: null or [0, 1].");
    }
}
