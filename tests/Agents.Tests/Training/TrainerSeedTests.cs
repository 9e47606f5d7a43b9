using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Tests.Training;

/// <summary>Trainers reset the environments with the seeds they are given and derive none of their own.</summary>
public sealed class TrainerSeedTests
{
    private static readonly EnvSeeds Seeds = new(Train: 1234, Test: 98765, Watch: 5);

    private static float[] ResetObservations(int numEnvs, int seed)
    {
        using var reference = EnvRegistry.Default.MakeVec("CartPole-v1", numEnvs);
        reference.Reset(seed);
        return reference.Observations.ToArray();
    }

    /// <summary>Runs one short epoch with a test at start, capturing both vector envs' observations right after the fresh start.</summary>
    private static (float[] Train, float[] Test) Capture(Func<VectorEnv, VectorEnv, TrainerCallbacks, ITrainer> create)
    {
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        float[]? trainObs = null, testObs = null;
        var callbacks = new TrainerCallbacks
        {
            // The test at start comes after both resets and before any training step.
            OnEpochTest = (epoch, _) =>
            {
                if (epoch != 0) return;
                trainObs = train.Observations.ToArray();
                testObs = test.Observations.ToArray();
            },
        };
        create(train, test, callbacks).Run();
        return (trainObs!, testObs!);
    }

    [Fact]
    public void The_off_policy_trainer_resets_with_the_given_seeds()
    {
        var (train, test) = Capture((tr, te, cb) => new OffPolicyTrainer(new StubOffPolicyAgent(1, 1, 10, numEnvs: 2), tr, te,
            new TrainerConfig(1, 20, NumTestEpisodes: 1, TestAtStart: true), Seeds, cb));
        train.Should().Equal(ResetObservations(2, Seeds.Train));
        test.Should().Equal(ResetObservations(2, Seeds.Test));
    }

    [Fact]
    public void The_on_policy_trainer_resets_with_the_given_seeds()
    {
        var (train, test) = Capture((tr, te, cb) => new OnPolicyTrainer(
            new PpoAgent(tr.SingleObservationSpace, tr.SingleActionSpace, new PpoParams { NumSteps = 8, BatchSize = 16 }, 0, createNetwork: Net.ActorCritic(tr.SingleObservationSpace, tr.SingleActionSpace, [8])),
            tr, te, new TrainerConfig(1, 16, NumTestEpisodes: 1, TestAtStart: true), Seeds, cb));
        train.Should().Equal(ResetObservations(2, Seeds.Train));
        test.Should().Equal(ResetObservations(2, Seeds.Test));
    }
}
