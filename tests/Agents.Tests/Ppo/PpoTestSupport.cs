using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Agents.Tests.Ppo;

/// <summary>Shared setup of the PPO tests: one seed for the agent's and the trainer's streams.</summary>
internal static class PpoTestSupport
{
    /// <summary>
    /// The zoo's CartPole-v1 preset with constant learning rate and clip range (the zoo anneals them over 1e5
    /// steps; a 2e4-step test would anneal far too fast). Checked on 16 seeds: 169–500 after 2e4 steps.
    /// </summary>
    public static PpoParams CartPoleSmoke => PpoPresets.CartPoleV1.Params with { AnnealLearningRate = false, AnnealClipRange = false };

    /// <summary>Pendulum-v1, after the zoo's settings without gSDE, with shorter rollouts for a 3e4-step run.</summary>
    public static PpoParams PendulumSmoke => new()
    {
        NumSteps = 256, BatchSize = 64, GaeLambda = 0.95, Gamma = 0.9, UpdateEpochs = 10, LearningRate = 1e-3,
    };

    public sealed record Run(PpoAgent Agent, OnPolicyTrainer Trainer, VectorEnv Envs, VectorEnv TestEnvs) : IDisposable
    {
        public void Dispose()
        {
            Envs.Dispose();
            TestEnvs.Dispose();
        }

        public EvaluationResult Evaluate(int episodes = 10, int seed = 12345) =>
            new Evaluator(TestEnvs).Evaluate(Agent, episodes, deterministic: true, seed: seed);
    }

    public static Run Create(string envId, int numEnvs, PpoParams p, TrainerConfig config, int seed,
        TrainerCallbacks? callbacks = null, IMetricsSink? metrics = null, IReadOnlyDictionary<string, object?>? kwargs = null,
        Func<Env, Env>? wrap = null, int numTestEnvs = 1, bool shareNetwork = false)
    {
        var envs = EnvRegistry.Default.MakeVec(envId, numEnvs, kwargs: kwargs, wrap: wrap);
        var testEnvs = EnvRegistry.Default.MakeVec(envId, numTestEnvs, kwargs: kwargs);
        var agent = new PpoAgent(envs.SingleObservationSpace, envs.SingleActionSpace, p, seed,
            shareNetwork ? Net.ActorCritic(envs.SingleObservationSpace, envs.SingleActionSpace, [64, 64], share: true) : null);
        var trainer = new OnPolicyTrainer(agent, envs, testEnvs, config, TestEnvSeeds.For(seed, envs, testEnvs), callbacks, metrics);
        return new Run(agent, trainer, envs, testEnvs);
    }
}

/// <summary>Records every metric written.</summary>
internal sealed class RecordingSink : IMetricsSink
{
    public List<(string Tag, double Value, long Step)> Rows { get; } = [];
    public int Flushes { get; private set; }
    public void Write(string tag, double value, long envStep) => Rows.Add((tag, value, envStep));
    public void Flush() => Flushes++;
}

/// <summary>Replaces every reward by NaN, to provoke a non-finite loss.</summary>
internal sealed class NanRewardWrapper(Env env) : Wrapper(env)
{
    public override StepResult Step(int action, Span<float> observation) => Inner.Step(action, observation) with { Reward = double.NaN };
}

/// <summary>Remembers the last observation of every truncated (not terminated) episode, by the step count at which it happened.</summary>
internal sealed class TruncationRecorder(Env env) : Wrapper(env)
{
    public int Steps { get; private set; }
    public Dictionary<int, float[]> FinalObservations { get; } = [];

    public override StepResult Step(int action, Span<float> observation)
    {
        var r = Inner.Step(action, observation);
        Steps++;
        if (r.Truncated && !r.Terminated) FinalObservations[Steps] = observation.ToArray();
        return r;
    }
}
