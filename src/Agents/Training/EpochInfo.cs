namespace RlExperiments.Agents.Training;

/// <summary>What epoch callbacks see: the epoch just finished and the counters and test results so far.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="EnvSteps">Environment steps taken so far.</param>
/// <param name="GradientSteps">Gradient updates applied so far.</param>
/// <param name="TestReturnMean">Mean return of this epoch's test episodes (NaN when none ran).</param>
/// <param name="TestReturnStd">Standard deviation of those returns (NaN when none ran).</param>
/// <param name="BestTestReturn">The best test-return mean so far (NaN before any test).</param>
/// <param name="TrainReturnMean">Mean return of training episodes that ended during the epoch (NaN when none did).</param>
public readonly record struct EpochInfo(
    int Epoch,
    long EnvSteps,
    long GradientSteps,
    double TestReturnMean,
    double TestReturnStd,
    double BestTestReturn,
    double TrainReturnMean);
