namespace RlExperiments.Agents.Training;

/// <summary>The outcome of a training run.</summary>
/// <param name="BestTestReturn">The best mean test return over all test phases (NaN when none ran).</param>
/// <param name="BestEpoch">The epoch that achieved it (0 for the test at start, −1 when none ran).</param>
/// <param name="LastTestReturn">The mean test return of the last test phase (NaN when none ran).</param>
/// <param name="EnvSteps">Environment steps taken.</param>
/// <param name="GradientSteps">Gradient updates applied.</param>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="WallTime">Wall-clock time of the whole run, tests included.</param>
/// <param name="StoppedByCallback">Whether the stop callback ended training before the last epoch.</param>
public sealed record TrainerResult(
    double BestTestReturn,
    int BestEpoch,
    double LastTestReturn,
    long EnvSteps,
    long GradientSteps,
    int Epochs,
    TimeSpan WallTime,
    bool StoppedByCallback);
