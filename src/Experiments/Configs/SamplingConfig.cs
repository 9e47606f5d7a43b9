using System.Globalization;
using RlExperiments.Factories;

namespace RlExperiments.Experiments;

/// <summary>
/// How an experiment collects data and trains, in Tianshou's vocabulary (its v1 <c>SamplingConfig</c>). Every field is
/// optional: null means the algorithm's default (listed per field), so the defaults fit each algorithm, and a field that
/// does not apply to the chosen algorithm must stay null: setting it is an error at <c>Build()</c> that names it.
/// Where a field overlaps the algorithm's params (batch size, buffer size, ...), each value is given in one place: a
/// field set here sets the params' value, and <c>Build()</c> refuses it, naming both, when the params set that value
/// to something else than their default.
/// </summary>
/// <remarks>
/// One epoch is <see cref="EpochNumSteps"/> environment steps (summed over the training environments), followed by a
/// test phase of <see cref="NumTestEpisodes"/> episodes; the run has <see cref="NumEpochs"/> epochs, so it takes
/// <c>NumEpochs · EpochNumSteps</c> environment steps unless a stop callback ends it early. (On-policy algorithms end an
/// epoch at the first rollout boundary at or after that count.)
/// </remarks>
public sealed record SamplingConfig : IValidatable
{
    /// <summary>
    /// Number of epochs of the run (Tianshou's <c>num_epochs</c>; an epoch is <see cref="EpochNumSteps"/> environment steps
    /// and a test phase). Not the passes over a rollout, which Stable-Baselines3 calls <c>n_epochs</c> and the on-policy
    /// params call <c>UpdateEpochs</c>. Default: 10 (all algorithms). Allowed: an integer ≥ 1.
    /// </summary>
    public int? NumEpochs { get; init; }

    /// <summary>
    /// Environment steps per epoch, summed over the training environments. Default: DQN 10,000; PPO 10,240 (five
    /// rollouts of 2,048); SAC 5,000. Allowed: an integer ≥ 1.
    /// </summary>
    public int? EpochNumSteps { get; init; }

    /// <summary>
    /// Transitions per gradient step (DQN, SAC) or per minibatch (PPO). Sets the params' <c>BatchSize</c> (giving both with
    /// different values is an error at <c>Build()</c>).
    /// Default: the params' value (DQN 32, PPO 64, SAC 256). Allowed: an integer ≥ 1.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>Training environments stepping together. Default: 1. Allowed: an integer ≥ 1.</summary>
    public int? NumTrainEnvs { get; init; }

    /// <summary>
    /// Test environments the test episodes are spread over. Default: 1. Allowed: an integer ≥ 1 (ignored when
    /// <see cref="NumTestEpisodes"/> is 0).
    /// </summary>
    public int? NumTestEnvs { get; init; }

    /// <summary>
    /// Test episodes after each epoch (deterministic actions unless a test callback sets a test ε); their mean return
    /// is the test return that decides the best policy and the stop callback. Default: 10. Allowed: an integer ≥ 0 (0
    /// disables testing).
    /// </summary>
    public int? NumTestEpisodes { get; init; }

    /// <summary>
    /// Replay-buffer capacity in transitions. Off-policy only (DQN, SAC); sets the params' <c>BufferSize</c>.
    /// Default: the params' value (1,000,000, Stable-Baselines3's; not Tianshou's 4,096). Allowed: an integer ≥ 1.
    /// </summary>
    public int? BufferSize { get; init; }

    /// <summary>
    /// Environment steps (summed over the training environments) collected between updates. Off-policy: sets the
    /// params' <c>TrainFreq</c> to <c>StepPerCollect / NumTrainEnvs</c> vector steps; PPO: sets <c>NumSteps</c> (the
    /// rollout length per environment) to <c>StepPerCollect / NumTrainEnvs</c>. Default: the params' value (DQN 4, SAC 1
    /// per environment; PPO 2,048 per environment). Allowed: a multiple of <see cref="NumTrainEnvs"/>, ≥ 1.
    /// </summary>
    public int? StepPerCollect { get; init; }

    /// <summary>
    /// Whole episodes collected between updates (Tianshou's alternative to <see cref="StepPerCollect"/>). Not supported
    /// by this framework's trainers, which collect by environment steps: must stay null.
    /// </summary>
    public int? EpisodePerCollect { get; init; }

    /// <summary>
    /// Passes over each rollout per update (Tianshou's <c>repeat_per_collect</c>; Stable-Baselines3's <c>n_epochs</c>).
    /// On-policy algorithms only; sets the params' <c>UpdateEpochs</c>. Default: the params' value. Allowed: an integer ≥ 1.
    /// </summary>
    public int? RepeatPerCollect { get; init; }

    /// <summary>
    /// Gradient steps per environment step collected. Off-policy only; sets the params' <c>GradientSteps</c> to
    /// <c>round(UpdatePerStep · StepPerCollect)</c> per collection. Default: the params' value (DQN and SAC: one
    /// gradient step per collection). Allowed: a finite number ≥ 0.
    /// </summary>
    public double? UpdatePerStep { get; init; }

    /// <summary>
    /// Environment steps taken before learning starts (buffer prefill). Off-policy only; sets the params'
    /// <c>LearningStarts</c>. Default: the params' value (100). Allowed: an integer ≥ 0.
    /// </summary>
    public int? StartTimesteps { get; init; }

    /// <summary>
    /// Whether the prefill of <see cref="StartTimesteps"/> uses uniform random actions. Off-policy only. The off-policy
    /// trainer always prefills with uniform random actions (as Stable-Baselines3), so the only allowed value is true
    /// (or null). Default: true.
    /// </summary>
    public bool? StartTimestepsRandom { get; init; }

    /// <inheritdoc />
    public void Validate()
    {
        const string o = nameof(SamplingConfig);
        if (NumEpochs is { } e) FieldCheck.AtLeast(o, nameof(NumEpochs), e, 1);
        if (EpochNumSteps is { } s) FieldCheck.AtLeast(o, nameof(EpochNumSteps), s, 1);
        if (BatchSize is { } b) FieldCheck.AtLeast(o, nameof(BatchSize), b, 1);
        if (NumTrainEnvs is { } n) FieldCheck.AtLeast(o, nameof(NumTrainEnvs), n, 1);
        if (NumTestEnvs is { } t) FieldCheck.AtLeast(o, nameof(NumTestEnvs), t, 1);
        if (NumTestEpisodes is { } te) FieldCheck.AtLeast(o, nameof(NumTestEpisodes), te, 0);
        if (BufferSize is { } bs) FieldCheck.AtLeast(o, nameof(BufferSize), bs, 1);
        if (StepPerCollect is { } sp)
        {
            FieldCheck.AtLeast(o, nameof(StepPerCollect), sp, 1);
            var envs = NumTrainEnvs ?? 1;
            if (sp % envs != 0)
                throw FieldCheck.OutOfRange(o, nameof(StepPerCollect), sp,
                    string.Create(CultureInfo.InvariantCulture, $"a multiple of NumTrainEnvs ({envs}), since every collection steps all training environments equally"));
        }
        if (EpisodePerCollect is { } ep) FieldCheck.AtLeast(o, nameof(EpisodePerCollect), ep, 1);
        if (StepPerCollect is not null && EpisodePerCollect is not null)
            throw new ArgumentException($"{o}.{nameof(EpisodePerCollect)} and {o}.{nameof(StepPerCollect)} are both set; allowed: at most one of them.", nameof(EpisodePerCollect));
        if (RepeatPerCollect is { } r) FieldCheck.AtLeast(o, nameof(RepeatPerCollect), r, 1);
        if (UpdatePerStep is { } u) FieldCheck.NonNegative(o, nameof(UpdatePerStep), u);
        if (StartTimesteps is { } st) FieldCheck.AtLeast(o, nameof(StartTimesteps), st, 0);
    }
}

/// <summary>The sampling values a run uses after the algorithm's defaults were filled in.</summary>
/// <param name="NumEpochs">Epochs.</param>
/// <param name="EpochNumSteps">Environment steps per epoch.</param>
/// <param name="NumTrainEnvs">Training environments.</param>
/// <param name="NumTestEnvs">Test environments (0 when testing is off).</param>
/// <param name="NumTestEpisodes">Test episodes per test phase.</param>
public sealed record ResolvedSampling(int NumEpochs, int EpochNumSteps, int NumTrainEnvs, int NumTestEnvs, int NumTestEpisodes)
{
    /// <summary>Total environment steps planned: <c>NumEpochs · EpochNumSteps</c>.</summary>
    public long TotalSteps => (long)NumEpochs * EpochNumSteps;
}
