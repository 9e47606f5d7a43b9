using RlExperiments.Tuning;

namespace RlExperiments.AutoRL;

/// <summary>Details of one <see cref="AutoRLEnv.Step"/> (ARLBench's <c>info</c>), with raw (unsigned) measurements.</summary>
/// <param name="Configuration">The configuration the step trained with.</param>
/// <param name="TrainingCurve">One entry per evaluation in the step (ARLBench's <c>train_info_df</c>).</param>
/// <param name="LastEvaluationReturns">The returns of the step's last evaluation, episode by episode.</param>
/// <param name="EnvSteps">Environment steps trained so far in the episode (all steps).</param>
/// <param name="GradientSteps">Gradient updates applied so far in the episode.</param>
/// <param name="Runtime">Wall-clock time spent training in this step (evaluations and checkpoints excluded).</param>
/// <param name="CpuTime">CPU time of the training thread in this step (evaluations and checkpoints excluded).</param>
/// <param name="Checkpoint">The checkpoint written after the step, or null.</param>
public sealed record AutoRLStepInfo(
    Configuration Configuration,
    IReadOnlyList<AutoRLEvaluation> TrainingCurve,
    IReadOnlyList<double> LastEvaluationReturns,
    long EnvSteps,
    long GradientSteps,
    TimeSpan Runtime,
    TimeSpan CpuTime,
    string? Checkpoint);
