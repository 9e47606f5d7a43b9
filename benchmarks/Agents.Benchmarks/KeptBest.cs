using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RlExperiments.Agents;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// The "kept best" column of the off-policy rows: the policy that the framework's <see cref="StepCallbackEval"/> keeps
/// in its <see cref="StepCallbackEval.BestPolicyFileName"/>, the same policy a user gets from that callback and the one
/// rl-baselines3-zoo's <c>EvalCallback</c> (<c>best_model.zip</c>) and Tianshou's <c>save_best_fn</c> keep. It is
/// scored on its own 10 test episodes from different environment seeds than the selection's evaluations, so the
/// reported figure does not carry the selection's luck.
/// </summary>
public static class KeptBest
{
    /// <summary>Evaluations per run: one every budget / <see cref="EvaluationsPerRun"/> env steps, the last at the end of training.</summary>
    public const int EvaluationsPerRun = 20;

    /// <summary>Episodes per selection evaluation (as many as the reported test).</summary>
    public const int EpisodesPerEvaluation = 10;

    /// <summary>With <c>--keep-best</c>: every off-policy row reports the kept-best column too (rows that judge on it always do).</summary>
    public static bool AllRows { get; set; }

    /// <summary>
    /// Starts the framework's eval callback for one seed: evaluations every budget/20 env steps on an evaluation
    /// environment seeded from <paramref name="seed"/>, the best policy written to <paramref name="directory"/>.
    /// </summary>
    public static Live Start(IAgent agent, string algorithm, string envId, long budget, int seed, string directory)
    {
        var factory = new EnvFactory { EnvId = envId };
        var envs = factory.Create(1, 0, seed);
        var callback = new StepCallbackEval
        {
            EvalFreq = (int)Math.Max(1, budget / EvaluationsPerRun), NumEvalEpisodes = EpisodesPerEvaluation, SaveBestPolicy = true,
        };
        callback.Validate();
        var context = new TrainingContext(agent, envs, NullMetricsSink.Instance, NullLogger.Instance, directory, factory, Seed: seed, AlgorithmName: algorithm);
        return new Live(callback.Start(context), envs, directory, algorithm);
    }

    /// <summary>The running callback, timed (its evaluations are not training time), and the file it keeps.</summary>
    public sealed class Live(IStepCallback inner, EnvironmentSet envs, string directory, string algorithm) : IStepCallback, IDisposable
    {
        /// <summary>Stopwatch ticks spent in the callback (its evaluations).</summary>
        public long Ticks { get; private set; }

        /// <inheritdoc />
        public bool OnStep(in StepInfo info)
        {
            var start = Stopwatch.GetTimestamp();
            var go = inner.OnStep(info);
            Ticks += Stopwatch.GetTimestamp() - start;
            return go;
        }

        /// <inheritdoc />
        public bool OnUpdate(in StepInfo info) => inner.OnUpdate(info);

        /// <summary>Loads the kept policy file into <paramref name="agent"/> (as <c>Experiment.FromDirectory</c> restores a policy).</summary>
        public void LoadInto(IAgent agent)
        {
            var path = Path.Combine(directory, StepCallbackEval.BestPolicyFileName);
            PolicyFile.Load(PolicyFile.Read(path), path, agent, algorithm);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            (inner as IDisposable)?.Dispose();
            envs.Dispose();
        }
    }
}
