using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Experiments.Algorithms.Iqn;
using RlExperiments.Tuning;

namespace RlExperiments.AutoRL.Tests;

/// <summary>IQN through its module in AutoRL: environment steps with configurations of its space, and a study through the objective.</summary>
public class IqnAutoRLTests
{
    private static AutoRLEnvConfig Small() => new()
    {
        EnvId = "CartPole-v1", Algorithm = "iqn", Seed = 3, NumEnvs = 2, NSteps = 2, NTotalTimesteps = 600, NEvalSteps = 1, NEvalEpisodes = 2,
        EnvKwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 100 },
        Basis = new IQNAlgorithmFactory { Params = new IqnParams { LearningStarts = 100, BufferSize = 2000 } }.WithNetArch([16]),
    };

    [Fact]
    public void AutoRL_steps_train_IQN_with_configurations_of_its_space()
    {
        using var env = new AutoRLEnv(Small());
        env.ConfigSpace.Hyperparameters.Select(h => h.Name).Should().NotContain(["buffer_prio_sampling", "normalize_observations"]);
        env.Reset();
        var first = env.Step(new Configuration(new Dictionary<string, object> { ["gamma"] = 0.95, ["train_freq"] = 2L }));
        first.Info.EnvSteps.Should().Be(600);
        var agent = (IqnAgent)env.Agent!;
        agent.Params.Gamma.Should().Be(0.95);
        agent.Params.TrainFreq.Should().Be(2);
        var second = env.Step(new Configuration(new Dictionary<string, object> { ["learning_rate"] = 5e-4 }));
        second.Truncated.Should().BeTrue();
        second.Info.EnvSteps.Should().Be(1200, "the second step continues the first one's agent");
        ((IqnAgent)env.Agent!).LearningRate.Should().Be(5e-4);
    }

    [Fact]
    public void A_study_through_the_objective_tunes_IQN()
    {
        var dir = Path.Combine(Path.GetTempPath(), "iqn-study-" + Guid.NewGuid().ToString("N"));
        try
        {
            var objective = new AutoRLObjectiveFunction(Small(), totalTimesteps: 400, new NopPruner());
            var space = new ConfigurationSpace("iqn_small").Add([
                new FloatHyperparameter("learning_rate", 1e-4, 1e-2, 1e-3, log: true),
                new FloatHyperparameter("gamma", 0.9, 0.99, 0.99)]);
            var study = new HyperparameterOptimizer(new HyperparameterOptimizerOptions
            {
                StudyDirectory = dir, NTrials = 2, Sampler = SamplerKind.Random, Pruner = new NopPruner(), Seed = 1,
            }).Optimize(space, objective.Evaluate);
            study.Trials.Should().HaveCount(2).And.OnlyContain(t => t.State == TrialState.Complete);
            File.Exists(Path.Combine(dir, "best_params.json")).Should().BeTrue();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
