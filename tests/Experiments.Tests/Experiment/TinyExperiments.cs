using Microsoft.Extensions.Logging.Abstractions;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Core;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Sac;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>Tiny but real experiments (one short epoch, small networks, short episodes) for each builder.</summary>
public static class Tiny
{
    public static ExperimentServices Services { get; } = new(logging: NullLoggerFactory.Instance);

    public static ExperimentConfig Config(string baseDir) => new() { PersistenceBaseDir = baseDir, WatchNumEpisodes = 2 };

    public static EnvFactory CartPole { get; } = new() { EnvId = "CartPole-v1", Kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 } };

    public static EnvFactory Pendulum { get; } = new() { EnvId = "Pendulum-v1", Kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 } };

    public static SamplingConfig DqnSampling(int epochs = 1) => new()
    {
        NumEpochs = epochs, EpochNumSteps = 200, NumTestEpisodes = 2, StartTimesteps = 50, BufferSize = 1000, BatchSize = 16,
    };

    public static DQNExperimentBuilder Dqn(string baseDir, int epochs = 1, ExperimentConfig? config = null) =>
        new DQNExperimentBuilder(CartPole, config ?? Config(baseDir), DqnSampling(epochs))
            .WithDQNParams(new DqnParams { TrainFreq = 4, TargetUpdateInterval = 50 })
            .WithModelFactoryDefault([16])
            .WithServices(Services)
            .WithName("dqn");

    public static PPOExperimentBuilder Ppo(string baseDir, EnvFactory? env = null) =>
        new PPOExperimentBuilder(env ?? CartPole, Config(baseDir),
                new SamplingConfig { NumEpochs = 1, EpochNumSteps = 128, StepPerCollect = 64, BatchSize = 32, RepeatPerCollect = 2, NumTestEpisodes = 2 })
            .WithActorFactoryDefault([16])
            .WithCriticFactoryDefault([16])
            .WithServices(Services)
            .WithName("ppo");

    public static SACExperimentBuilder Sac(string baseDir) =>
        new SACExperimentBuilder(Pendulum, Config(baseDir),
                new SamplingConfig { NumEpochs = 1, EpochNumSteps = 150, StartTimesteps = 50, BufferSize = 1000, BatchSize = 32, NumTestEpisodes = 2 })
            .WithActorFactoryDefault([16])
            .WithCommonCriticFactoryDefault([16])
            .WithServices(Services)
            .WithName("sac");

    /// <summary>Deterministic actions of <paramref name="agent"/> for fixed observations.</summary>
    public static float[] ActionsOnFixedObservations(IAgent agent)
    {
        const int rows = 8;
        var obsSize = agent.ObservationSpace.FlatSize;
        var obs = new float[rows * obsSize];
        new Rng(123).FillUniform(obs, -0.5f, 0.5f);
        var actions = new float[rows * agent.ActionSpace.FlatSize];
        agent.Act(obs, actions, deterministic: true);
        return actions;
    }

    /// <summary>Deterministic raw network outputs (finer than actions) of the agent's first network.</summary>
    public static float[] NetworkOutputs(IAgent agent)
    {
        var obsSize = agent.ObservationSpace.FlatSize;
        var obs = new float[4 * obsSize];
        new Rng(7).FillUniform(obs, -0.5f, 0.5f);
        var module = agent.Networks.Values.First();
        using var scope = Tensors.Tensor.Scope();
        using var noGrad = Tensors.Tensor.NoGrad();
        return module.Forward(Tensors.Tensor.From(obs, [4, obsSize])).ToArray();
    }
}
