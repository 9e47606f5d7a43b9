using RlExperiments.Tuning;

using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.AutoRL;

/// <summary>
/// Static hyperparameter optimisation on top of <see cref="AutoRLEnv"/>: the objective a
/// <see cref="HyperparameterOptimizer"/> calls trains the trial's configuration once per seed of the trial
/// (<see cref="TrialContext.Seeds"/>) for <see cref="TotalTimesteps"/> environment steps, in segments that end on the
/// pruner's rungs. Each segment ends with <see cref="EvaluationsPerSegment"/> evaluations spread over it; after each
/// segment the objective reports the mean over seeds of those evaluations' mean returns (reported at the segment's end
/// step) and asks the pruner whether to go on. The result is the last segment's value: with one evaluation per segment,
/// ARLBench's objective (the last evaluation's mean return); with several, the mean return over the last part of
/// training, which is less noisy for algorithms whose performance oscillates (DQN) and so less prone to picking a lucky
/// configuration.
/// </summary>
/// <remarks>
/// Each segment is one AutoRL step, so a trial that survives a rung continues the same agents (nothing is retrained), and
/// the exploration and annealing schedules run over the full budget whether or not the trial is stopped early.
/// </remarks>
public sealed class AutoRLObjectiveFunction
{
    private readonly RlExperiments.Environments.EnvRegistry? _registry;
    private readonly AlgorithmRegistry? _algorithms;

    /// <summary>Creates the objective.</summary>
    /// <param name="environment">The AutoRL set-up (environment, algorithm, base params, NAS, evaluation episodes); its seed, steps, budget and objectives are set per trial.</param>
    /// <param name="totalTimesteps">Environment steps each seed trains. Allowed: every segment at least <paramref name="evaluationsPerSegment"/> × NumEnvs steps long.</param>
    /// <param name="pruner">The study's pruner: with a <see cref="SuccessiveHalvingPruner"/> the segments end on its rungs; otherwise training is one segment.</param>
    /// <param name="evaluationsPerSegment">Evaluations (of <see cref="AutoRLEnvConfig.NEvalEpisodes"/> episodes each) spread over each segment and averaged. Default 1 (ARLBench). Allowed: ≥ 1.</param>
    /// <param name="registry">Where the environment id is looked up; null for <see cref="RlExperiments.Environments.EnvRegistry.Default"/>.</param>
    /// <param name="algorithms">Where the algorithm is looked up; null for <see cref="AlgorithmRegistry.Default"/>.</param>
    public AutoRLObjectiveFunction(AutoRLEnvConfig environment, long totalTimesteps, IPruner? pruner = null, int evaluationsPerSegment = 1,
        RlExperiments.Environments.EnvRegistry? registry = null, AlgorithmRegistry? algorithms = null)
    {
        _registry = registry;
        _algorithms = algorithms;
        ArgumentNullException.ThrowIfNull(environment);
        if (evaluationsPerSegment < 1)
            throw new ArgumentOutOfRangeException(nameof(evaluationsPerSegment), evaluationsPerSegment, $"evaluationsPerSegment = {evaluationsPerSegment} is invalid; allowed: ≥ 1.");
        EvaluationsPerSegment = evaluationsPerSegment;
        TotalTimesteps = totalTimesteps;
        Boundaries = SegmentEnds(totalTimesteps, pruner);
        for (var i = 0; i < Boundaries.Count; i++)
        {
            var length = Boundaries[i] - (i == 0 ? 0 : Boundaries[i - 1]);
            if (length < (long)evaluationsPerSegment * environment.NumEnvs)
                throw new ArgumentException(
                    $"The segment ending at {Boundaries[i]} environment steps is {length} steps long, too short for {evaluationsPerSegment} evaluations with {environment.NumEnvs} environments; " +
                    $"allowed: at least {(long)evaluationsPerSegment * environment.NumEnvs} (raise totalTimesteps or the pruner's minResource, or lower evaluationsPerSegment).", nameof(totalTimesteps));
        }
        var perSegment = Math.Max(environment.NumEnvs, totalTimesteps / Boundaries.Count);
        Environment = environment with
        {
            NSteps = Boundaries.Count,
            NTotalTimesteps = (int)Math.Min(int.MaxValue, perSegment),
            NEvalSteps = evaluationsPerSegment,
            Objectives = [AutoRLObjective.RewardMean],
            OptimizeObjectives = ObjectiveOrientation.Natural,
            Checkpoint = AutoRLCheckpointMode.None,
        };
        Environment.Validate();
    }

    /// <summary>The AutoRL set-up each seed of a trial runs (its seed is replaced by the trial's).</summary>
    public AutoRLEnvConfig Environment { get; }

    /// <summary>Environment steps each seed trains.</summary>
    public long TotalTimesteps { get; }

    /// <summary>Evaluations averaged per segment.</summary>
    public int EvaluationsPerSegment { get; }

    /// <summary>The environment steps at which segments end and intermediate values are reported; the last is <see cref="TotalTimesteps"/>.</summary>
    public IReadOnlyList<long> Boundaries { get; }

    /// <summary>
    /// The segment ends for a budget and a pruner: the successive-halving rungs below the budget, then the budget. A rung
    /// that would leave less than 1% of the budget for the last segment is merged into it (the final report counts for
    /// that rung, since the pruner takes the first value at or after a rung's step).
    /// </summary>
    public static IReadOnlyList<long> SegmentEnds(long totalTimesteps, IPruner? pruner)
    {
        if (totalTimesteps < 1)
            throw new ArgumentOutOfRangeException(nameof(totalTimesteps), totalTimesteps, $"totalTimesteps = {totalTimesteps} is invalid; allowed: ≥ 1.");
        var ends = new List<long>();
        if (pruner is SuccessiveHalvingPruner halving)
            for (var rung = 0; halving.RungStep(rung) < totalTimesteps; rung++)
                if (totalTimesteps - halving.RungStep(rung) >= Math.Max(1, totalTimesteps / 100))
                    ends.Add(halving.RungStep(rung));
        ends.Add(totalTimesteps);
        return ends;
    }

    /// <summary>Evaluates one trial (pass this method to <see cref="HyperparameterOptimizer.Optimize(ConfigurationSpace, Func{TrialContext, double})"/>).</summary>
    /// <exception cref="TrialPrunedException">The pruner stopped the trial at a rung.</exception>
    /// <exception cref="OperationCanceledException">The study's timeout passed.</exception>
    public double Evaluate(TrialContext trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var envs = new List<AutoRLEnv>(trial.Seeds.Count);
        try
        {
            foreach (var seed in trial.Seeds)
            {
                var env = new AutoRLEnv(Environment with { Seed = seed }, _registry, _algorithms);
                envs.Add(env);
                env.Reset();
            }
            double value = double.NaN;
            long done = 0;
            for (var segment = 0; segment < Boundaries.Count; segment++)
            {
                var budget = Boundaries[segment] - done;
                double sum = 0;
                foreach (var env in envs)
                {
                    trial.CancellationToken.ThrowIfCancellationRequested();
                    var step = env.Step(trial.Configuration, nTotalTimesteps: (int)Math.Min(int.MaxValue, budget), nEvalSteps: EvaluationsPerSegment);
                    sum += step.Info.TrainingCurve.Average(e => e.RewardMean);
                }
                done = Boundaries[segment];
                value = sum / envs.Count;
                trial.Report(done, value);
                if (segment < Boundaries.Count - 1 && trial.ShouldPrune())
                    throw new TrialPrunedException($"Pruned after {done} environment steps with mean return {value:0.##}.");
            }
            return value;
        }
        finally
        {
            foreach (var env in envs) env.Dispose();
        }
    }
}
