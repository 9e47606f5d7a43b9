using RlExperiments.Core;
using RlExperiments.Testing;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public class AllocationCollection;

/// <summary>Zero bytes allocated per step in steady state, across episode ends and (auto-)resets.</summary>
[Collection(nameof(AllocationCollection))]
public class AllocationTests
{
    private const int Steps = 10_000;

    private static long RunSingle(Env env, int steps, Rng rng)
    {
        var obs = new float[env.ObservationSize];
        var action = new float[env.ActionSpace.FlatSize];
        var discrete = env.ActionSpace as Spaces.Discrete;
        var box = env.ActionSpace as Spaces.Box;
        env.Reset(obs, seed: 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var episodes = 0;
        for (var t = 0; t < steps; t++)
        {
            StepResult r;
            if (discrete is not null)
                r = env.Step(discrete.Sample(rng), obs);
            else
            {
                box!.Sample(rng, action);
                r = env.Step(action, obs);
            }
            if (r.Done)
            {
                episodes++;
                env.Reset(obs);
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        episodes.Should().BeGreaterThan(0, "the measurement must include episode ends and resets");
        return allocated;
    }

    [Theory]
    [InlineData("CartPole-v1")]
    [InlineData("Acrobot-v1")]
    [InlineData("MountainCar-v0")]
    [InlineData("MountainCarContinuous-v0")]
    [InlineData("Pendulum-v1")]
    public void SingleEnvironmentStepsAllocateNothing(string id)
    {
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 };
        using var env = new EnvRegistry().Make(id, kwargs);
        var rng = new Rng(5);
        RunSingle(env, 500, rng); // warm-up (JIT tiers, lazy statics)
        SteadyStateAllocation.LeastBytes(() => RunSingle(env, Steps, rng)).Should().Be(0);
    }

    [Fact]
    public void WrapperStackStepsAllocateNothing()
    {
        var registry = new EnvRegistry();
        using var continuous = new NormalizeReward(new NormalizeObservation(new ClipAction(new RescaleAction(
            new RecordEpisodeStatistics(registry.Make("Pendulum-v1", new Dictionary<string, object?> { ["max_episode_steps"] = 40 })), -1f, 1f))));
        using var discrete = new NormalizeReward(new NormalizeObservation(new RecordEpisodeStatistics(registry.Make("CartPole-v1"))));
        var rng = new Rng(6);
        RunSingle(continuous, 500, rng);
        RunSingle(discrete, 500, rng);
        SteadyStateAllocation.LeastBytes(() => RunSingle(continuous, Steps, rng)).Should().Be(0);
        SteadyStateAllocation.LeastBytes(() => RunSingle(discrete, Steps, rng)).Should().Be(0);
    }

    private static int StepVector(VectorEnv vec, int[] actions, Rng rng, int steps)
    {
        var episodes = 0;
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < actions.Length; i++)
                actions[i] = rng.NextInt(2);
            vec.Step(actions);
            for (var i = 0; i < actions.Length; i++)
                if (vec.Dones[i])
                    episodes++;
        }
        return episodes;
    }

    [Fact]
    public void SequentialVectorStepsAllocateNothing()
    {
        using var vec = new EnvRegistry().MakeVec("CartPole-v1", 8, VectorMode.Sequential, wrap: e => new RecordEpisodeStatistics(e));
        var actions = new int[8];
        var rng = new Rng(7);
        vec.Reset(seed: 0);
        StepVector(vec, actions, rng, 500);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var episodes = StepVector(vec, actions, rng, Steps);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        episodes.Should().BeGreaterThan(100, "auto-resets happen during the measurement");
        allocated.Should().Be(0);
    }

    [Fact]
    public void ParallelVectorStepsAllocateNothing()
    {
        using var vec = new ParallelVectorEnv(
            Enumerable.Range(0, 8).Select(_ => (Env)new RecordEpisodeStatistics(new EnvRegistry().Make("CartPole-v1"))).ToArray(),
            threads: 2);
        var actions = new int[8];
        var rng = new Rng(8);
        vec.Reset(seed: 0);
        StepVector(vec, actions, rng, 2_000);

        // Exact: the threads that run the environments (this one and the worker) allocate nothing.
        // Process-wide (GC.GetTotalAllocatedBytes): the test host's own threads allocate a little in the
        // background, so that figure is only bounded far below one 24-byte object per step.
        var totals = new List<long>();
        var episodes = 0;
        for (var w = 0; w < 3; w++)
        {
            var totalBefore = GC.GetTotalAllocatedBytes(precise: true);
            var mainBefore = GC.GetAllocatedBytesForCurrentThread();
            var workersBefore = vec.WorkerAllocatedBytes;
            episodes += StepVector(vec, actions, rng, Steps);
            var workers = vec.WorkerAllocatedBytes - workersBefore;
            var main = GC.GetAllocatedBytesForCurrentThread() - mainBefore;
            totals.Add(GC.GetTotalAllocatedBytes(precise: true) - totalBefore);
            main.Should().Be(0, $"window {w}: the calling thread");
            workers.Should().Be(0, $"window {w}: the worker thread");
        }
        episodes.Should().BeGreaterThan(100);
        totals.Min().Should().BeLessThan(Steps * 24L / 10, $"process-wide bytes per window: {string.Join(", ", totals)}");
    }
}
