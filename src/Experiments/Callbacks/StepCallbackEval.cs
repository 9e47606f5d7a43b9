using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// Stable-Baselines3's <c>EvalCallback</c> (with <c>StopTrainingOnRewardThreshold</c>): every <see cref="EvalFreq"/>
/// environment steps, plays <see cref="NumEvalEpisodes"/> episodes on evaluation environments of its own (made from the
/// run's environment factory, so the epochs' test environments are untouched), writes <c>eval/mean_return</c> and
/// <c>eval/std_return</c>, keeps the best policy in <see cref="BestPolicyFileName"/> in the run directory, and stops
/// training once the mean return reaches <see cref="RewardThreshold"/>.
/// </summary>
public sealed record StepCallbackEval : StepCallback
{
    /// <summary>The file the best evaluated policy is written to, in the run directory.</summary>
    public const string BestPolicyFileName = "eval_best_policy.safetensors";

    /// <summary>Environment steps (summed over the training environments) between evaluations (SB3's <c>eval_freq</c>, per vector step there). Default: 10,000. Allowed: ≥ 1.</summary>
    public int EvalFreq { get; init; } = 10_000;

    /// <summary>Episodes per evaluation (SB3's <c>n_eval_episodes</c>). Default: 5. Allowed: ≥ 1.</summary>
    public int NumEvalEpisodes { get; init; } = 5;

    /// <summary>Deterministic actions in the evaluation (SB3's <c>deterministic</c>). Default: true.</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>Stop training when an evaluation's mean return is at least this (SB3's <c>StopTrainingOnRewardThreshold</c>); null: never stop. Default: null.</summary>
    public double? RewardThreshold { get; init; }

    /// <summary>Write the best evaluated policy to <see cref="BestPolicyFileName"/> (SB3's <c>best_model_save_path</c>) when the run has a directory. Default: true.</summary>
    public bool SaveBestPolicy { get; init; } = true;

    /// <inheritdoc />
    public override void Validate()
    {
        const string o = nameof(StepCallbackEval);
        FieldCheck.AtLeast(o, nameof(EvalFreq), EvalFreq, 1);
        FieldCheck.AtLeast(o, nameof(NumEvalEpisodes), NumEvalEpisodes, 1);
        if (RewardThreshold is { } t && !double.IsFinite(t))
            throw FieldCheck.OutOfRange(o, nameof(RewardThreshold), t, "a finite number, or null never to stop");
    }

    /// <inheritdoc />
    public override IStepCallback Start(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EnvFactory is null)
            throw new InvalidOperationException($"{nameof(StepCallbackEval)} needs the run's environment factory in the training context.");
        return new Live(this, context);
    }

    /// <summary>The live callback: its own evaluation environments, the next evaluation step and the best mean return so far.</summary>
    private sealed class Live : IStepCallback, IDisposable
    {
        private readonly StepCallbackEval _o;
        private readonly TrainingContext _context;
        private EnvironmentSet? _envs;
        private Evaluator? _evaluator;
        private long _next;
        private double _best = double.NegativeInfinity;

        public Live(StepCallbackEval options, TrainingContext context)
        {
            _o = options;
            _context = context;
            _next = options.EvalFreq;
        }

        public bool OnStep(in StepInfo info)
        {
            if (info.EnvSteps < _next) return true;
            while (_next <= info.EnvSteps) _next += _o.EvalFreq;
            return Evaluate(info.EnvSteps);
        }

        public bool OnUpdate(in StepInfo info) => true;

        private bool Evaluate(long envSteps)
        {
            if (_evaluator is null)
            {
                // One evaluation environment, seeded from the run's seed; every evaluation replays the same starts.
                _envs = _context.EnvFactory!.Create(1, 1, _context.Seed, _context.Registry);
                _evaluator = new Evaluator(_envs.Test!);
            }
            var result = _evaluator.Evaluate(_context.Agent, _o.NumEvalEpisodes, _o.Deterministic, seed: _context.Seed);
            _context.Metrics.Write("eval/mean_return", result.Mean, envSteps);
            _context.Metrics.Write("eval/std_return", result.Std, envSteps);
            var improved = result.Mean > _best;
            if (improved)
            {
                _best = result.Mean;
                if (_o.SaveBestPolicy && _context.RunDirectory is { } dir)
                    PolicyFile.Save(Path.Combine(dir, BestPolicyFileName), _context.Agent, _context.AlgorithmName);
            }
            _context.Logger.LogInformation("Evaluation at {EnvSteps} env steps: mean return {Mean} over {Episodes} episodes{Best}",
                envSteps, result.Mean.ToString("0.###", CultureInfo.InvariantCulture), _o.NumEvalEpisodes, improved ? " (new best)" : "");
            if (_o.RewardThreshold is { } threshold && result.Mean >= threshold)
            {
                _context.Logger.LogInformation("Stopping training: the evaluation mean return {Mean} reached the threshold {Threshold}",
                    result.Mean.ToString("0.###", CultureInfo.InvariantCulture), threshold.ToString("0.###", CultureInfo.InvariantCulture));
                return false;
            }
            return true;
        }

        public void Dispose() => _envs?.Dispose();
    }
}
