using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Training;

/// <summary>ContinueFrom and ScheduleTotalSteps: a run as a segment on top of a previous state (what AutoRL steps do).</summary>
public class TrainerSegmentTests
{
    private static readonly (RlExperiments.Environments.Spaces.Space Obs, RlExperiments.Environments.Spaces.Space Act) CartPole = Spaces("CartPole-v1");

    private static DqnParams Params => new() { LearningStarts = 100, BufferSize = 5000, TargetUpdateInterval = 100, ExplorationFraction = 0.5 };

    [Fact]
    public void A_continued_segment_counts_epochs_from_one_and_ends_them_relative_to_the_state()
    {
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, Params, seed: 1, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [16]));
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var first = new OffPolicyTrainer(agent, train, test, new TrainerConfig(1, 500, NumTestEpisodes: 1), TestEnvSeeds.For(1, train, test));
        first.Run();
        var state = first.GetState();

        var ends = new List<(int Epoch, long Steps)>();
        var second = new OffPolicyTrainer(agent, train, test, new TrainerConfig(2, 300, NumTestEpisodes: 1), TestEnvSeeds.For(1, train, test),
            new TrainerCallbacks { OnEpochEnd = info => ends.Add((info.Epoch, info.EnvSteps)) });
        second.ContinueFrom(state);
        var result = second.Run();
        ends.Should().Equal((1, 800L), (2, 1100L));
        result.GradientSteps.Should().BeGreaterThan(state.GradientSteps);
    }

    [Fact]
    public void The_schedule_total_spans_segments_and_must_not_end_before_the_run()
    {
        double EpsilonAfter(long? scheduleTotal)
        {
            var agent = new DqnAgent(CartPole.Obs, CartPole.Act, Params, seed: 1, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [16]));
            using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
            var trainer = new OffPolicyTrainer(agent, train, null, new TrainerConfig(1, 500, NumTestEpisodes: 0), TestEnvSeeds.For(1, train, null)) { ScheduleTotalSteps = scheduleTotal };
            trainer.Run();
            return agent.Epsilon;
        }
        // ε decays over ExplorationFraction (0.5) of the schedule's total: 250 steps of a 500-step run, 1000 of a 2000-step plan.
        EpsilonAfter(null).Should().BeApproximately(0.05, 1e-9);
        EpsilonAfter(2000).Should().BeApproximately(1 - 0.95 * 500 / 1000.0, 0.01);

        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, Params, seed: 1, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [16]));
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var tooShort = new OffPolicyTrainer(agent, envs, null, new TrainerConfig(1, 500, NumTestEpisodes: 0), TestEnvSeeds.For(1, envs, null)) { ScheduleTotalSteps = 400 };
        var act = () => tooShort.Run();
        act.Should().Throw<InvalidOperationException>().WithMessage("*ScheduleTotalSteps = 400*500*");
    }
}
