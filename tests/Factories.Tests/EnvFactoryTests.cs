using System.Text.Json;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Factories.Tests;

public class EnvFactoryTests
{
    private static readonly EnvFactory CartPole = new() { EnvId = "CartPole-v1" };

    [Fact]
    public void Creates_seeded_train_test_and_watch_environments_with_spaces_and_spec()
    {
        using var envs = CartPole.Create(numTrainEnvs: 4, numTestEnvs: 2, seed: 42);
        envs.EnvId.Should().Be("CartPole-v1");
        envs.Train.NumEnvs.Should().Be(4);
        envs.Test!.NumEnvs.Should().Be(2);
        envs.Train.Should().BeOfType<SequentialVectorEnv>();
        envs.Watch.Unwrapped.Should().BeOfType<CartPole>();
        envs.ObservationSpace.Should().BeOfType<Box>().Which.FlatSize.Should().Be(4);
        envs.ActionSpace.Should().Be(new Discrete(2));
        envs.IsDiscrete.Should().BeTrue();
        envs.RewardThreshold.Should().Be(475.0);
        envs.MaxEpisodeSteps.Should().Be(500);
        envs.Spec.Id.Should().Be("CartPole-v1");
        envs.Seeds.Should().Be(SeedStreams.FromSeed(42).EnvironmentSeeds(4, 2));
        envs.ToString().Should().Contain("CartPole-v1").And.Contain("4 train");
    }

    [Fact]
    public void Same_seed_gives_same_observations_and_a_different_seed_different_ones()
    {
        float[] First(int seed)
        {
            using var envs = CartPole.Create(3, 2, seed);
            return [.. envs.Train.Observations, .. envs.Test!.Observations, .. WatchObservation(envs)];
        }
        First(7).Should().Equal(First(7));
        First(7).Should().NotEqual(First(8));
    }

    [Fact]
    public void Stepping_is_reproducible_for_the_same_seed()
    {
        float[] Run(int seed)
        {
            using var envs = CartPole.Create(2, 1, seed);
            int[] actions = [0, 1];
            for (var t = 0; t < 30; t++)
                envs.Train.Step(actions);
            return envs.Train.Observations.ToArray();
        }
        Run(3).Should().Equal(Run(3));
    }

    [Fact]
    public void Train_test_and_watch_seeds_differ_and_their_ranges_never_overlap()
    {
        for (var seed = -50; seed < 450; seed++)
        {
            var s = SeedStreams.FromSeed(seed).EnvironmentSeeds(16, 8);
            s.Train.Should().BeInRange(0, (1 << 30) - 1);
            s.Test.Should().BeInRange(0, (1 << 30) - 1);
            (s.Test >= s.Train + 16 || s.Train >= s.Test + 8).Should().BeTrue($"seed {seed}: train {s.Train}+16 and test {s.Test}+8 overlap");
            (s.Watch >= s.Train + 16 || s.Watch < s.Train).Should().BeTrue();
            (s.Watch >= s.Test + 8 || s.Watch < s.Test).Should().BeTrue();
        }
        SeedStreams.FromSeed(1).EnvironmentSeeds(1, 1).Should().NotBe(SeedStreams.FromSeed(2).EnvironmentSeeds(1, 1));
    }

    [Fact]
    public void Train_and_test_environments_start_from_different_states()
    {
        using var envs = CartPole.Create(1, 1, 0);
        envs.Train.Observations.Should().NotEqual(envs.Test!.Observations);
    }

    [Fact]
    public void Kwargs_reach_the_environment_and_test_kwargs_replace_them_for_test_and_watch()
    {
        var factory = new EnvFactory
        {
            EnvId = "Pendulum-v1",
            Kwargs = new Dictionary<string, object?> { ["g"] = 3.5, ["max_episode_steps"] = 50 },
            TestKwargs = new Dictionary<string, object?> { ["g"] = 7 },
        };
        using var envs = factory.Create(2, 1, 0);
        envs.Train.Envs.Should().AllSatisfy(e => ((Pendulum)e.Unwrapped).G.Should().Be(3.5));
        envs.MaxEpisodeSteps.Should().Be(50);
        envs.Train.Envs[0].FindWrapper<TimeLimit>()!.MaxEpisodeSteps.Should().Be(50);
        ((Pendulum)envs.Test!.Envs[0].Unwrapped).G.Should().Be(7);
        ((Pendulum)envs.Watch.Unwrapped).G.Should().Be(7);
        envs.Test.Envs[0].FindWrapper<TimeLimit>()!.MaxEpisodeSteps.Should().Be(200);
        envs.IsDiscrete.Should().BeFalse();
    }

    [Fact]
    public void Unknown_id_or_kwarg_gives_the_registry_error()
    {
        var badId = () => new EnvFactory { EnvId = "CartPol-v1" }.Create(1, 1, 0);
        badId.Should().Throw<ArgumentException>().WithMessage("Unknown environment id 'CartPol-v1'. Did you mean 'CartPole-v1'?*");
        var badKwarg = () => new EnvFactory { EnvId = "Pendulum-v1", Kwargs = new Dictionary<string, object?> { ["gg"] = 1.0 } }.Create(1, 1, 0);
        badKwarg.Should().Throw<ArgumentException>().WithMessage("Unknown parameter 'gg' for Pendulum-v1. Did you mean 'g'?*");
    }

    [Fact]
    public void User_registered_environments_work_the_same_way()
    {
        var registry = new EnvRegistry(includeBuiltIns: false);
        registry.Register("MyPendulum-v0", k => new Pendulum(k.GetDouble("gravity", 1.0)), maxEpisodeSteps: 20, rewardThreshold: -10, parameters: ["gravity"]);
        var factory = new EnvFactory { EnvId = "MyPendulum-v0", Kwargs = new Dictionary<string, object?> { ["gravity"] = 2.0 } };
        using var envs = factory.Create(2, 0, 5, registry);
        envs.Test.Should().BeNull();
        envs.RewardThreshold.Should().Be(-10);
        envs.MaxEpisodeSteps.Should().Be(20);
        ((Pendulum)envs.Train.Envs[1].Unwrapped).G.Should().Be(2.0);
        var notInDefault = () => factory.Create(1, 0, 5);
        notInDefault.Should().Throw<ArgumentException>().WithMessage("Unknown environment id 'MyPendulum-v0'*");
    }

    [Fact]
    public void Parallel_mode_creates_parallel_vector_envs()
    {
        using var envs = (CartPole with { VectorMode = VectorMode.Parallel }).Create(2, 2, 1);
        envs.Train.Should().BeOfType<ParallelVectorEnv>();
        envs.Test.Should().BeOfType<ParallelVectorEnv>();
        envs.Train.Step([0, 1]);
    }

    [Fact]
    public void Derived_factories_can_wrap_each_environment_by_mode()
    {
        using var envs = new StatsEnvFactory { EnvId = "CartPole-v1" }.Create(2, 1, 0);
        envs.Train.Envs.Should().AllSatisfy(e => e.Should().BeOfType<RecordEpisodeStatistics>());
        envs.Test!.Envs[0].Should().NotBeOfType<RecordEpisodeStatistics>();
        envs.Watch.Should().BeOfType<RecordEpisodeStatistics>();
    }

    [Fact]
    public void Invalid_fields_and_arguments_name_the_field_and_range()
    {
        var emptyId = () => new EnvFactory { EnvId = " " }.Create(1, 1, 0);
        emptyId.Should().Throw<ArgumentException>().WithMessage("EnvFactory.EnvId = \" \" is invalid; allowed: a non-empty string.*");
        var noTrain = () => CartPole.Create(0, 1, 0);
        noTrain.Should().Throw<ArgumentOutOfRangeException>().WithMessage("numTrainEnvs = 0 is invalid; allowed: an integer ≥ 1.*");
        var negTest = () => CartPole.Create(1, -1, 0);
        negTest.Should().Throw<ArgumentOutOfRangeException>().WithMessage("numTestEnvs = -1 is invalid*");
        var badMode = () => (CartPole with { VectorMode = (VectorMode)7 }).Validate();
        badMode.Should().Throw<ArgumentOutOfRangeException>().WithMessage("EnvFactory.VectorMode = 7 is invalid; allowed: Sequential or Parallel.*");
    }

    [Fact]
    public void Kwargs_are_normalised_copied_and_compared_by_content()
    {
        var source = new Dictionary<string, object?> { ["i"] = 3, ["f"] = 0.5f, ["s"] = "x", ["b"] = true, ["n"] = null, ["j"] = JsonDocument.Parse("9.5").RootElement };
        var a = new EnvFactory { EnvId = "X", Kwargs = source };
        source["i"] = 4;
        a.Kwargs["i"].Should().Be(3L);
        a.Kwargs["f"].Should().Be(0.5);
        a.Kwargs["j"].Should().Be(9.5);
        a.Kwargs["n"].Should().BeNull();

        var b = new EnvFactory { EnvId = "X", Kwargs = new Dictionary<string, object?> { ["j"] = 9.5, ["n"] = null, ["b"] = true, ["s"] = "x", ["f"] = 0.5, ["i"] = 3L } };
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(b with { TestKwargs = new Dictionary<string, object?>() });
        a.Should().NotBe(new StatsEnvFactory { EnvId = "X", Kwargs = b.Kwargs });
        a.ToString().Should().Contain("i: 3").And.Contain("s: \"x\"");

        var nested = () => new EnvFactory { EnvId = "X", Kwargs = new Dictionary<string, object?> { ["list"] = new List<int>() } };
        nested.Should().Throw<ArgumentException>().WithMessage("EnvFactory.Kwargs[\"list\"] is a System.Collections.Generic.List*; allowed values: null, true/false, integers, numbers and strings.*");
    }

    private static float[] WatchObservation(EnvironmentSet envs)
    {
        var obs = new float[envs.Watch.ObservationSize];
        envs.Watch.Reset(obs, envs.Seeds.Watch);
        return obs;
    }

    private sealed record StatsEnvFactory : EnvFactory
    {
        protected override Env Wrap(Env env, EnvMode mode) => mode == EnvMode.Test ? env : new RecordEpisodeStatistics(env);
    }
}
