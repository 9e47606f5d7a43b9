using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Networks;
using BenchmarkDotNet.Attributes;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// Per-update speed of the real TD3 and REDQ agents (their <c>Update</c>, replay sampling included) on Pendulum-sized
/// spaces (observation 3, action 1), next to <c>benchmarks/offpolicy_torch_reference.py</c>, which makes the same updates
/// in PyTorch. Both run single-threaded (GEMM threads 1, torch.set_num_threads(1)). One op is one cycle of the algorithm's schedule:
/// <list type="bullet">
/// <item><c>td3_update</c>: two gradient steps with <c>update_actor_freq</c> 2 (two critic steps, one actor step, one target
/// update), [256, 256] networks, batch 256.</item>
/// <item><c>redq_update</c>: Tianshou's REDQ update for one environment step with G = <c>actor_delay</c> = 20: twenty critic
/// steps of N = 10 critics [256, 256] (target subset M = 2, Polyak targets after each) and one actor and α step, batch 256.</item>
/// <item><c>sac_agent_update</c>: one SAC gradient step of the real agent with the zoo's Pendulum settings ([256, 256], batch
/// 256); <c>_t1</c> on one thread, <c>_t2</c> on two (the critics' passes one per core, TwinCriticPasses), and
/// <c>td3_update_t2</c> likewise: the second core's gain on the agents' own updates.</item>
/// </list>
/// </summary>
public sealed class OffPolicyUpdateCases
{
    private const int Batch = 256, Redq_G = 20;
    private readonly Td3Agent _td3;
    private readonly RedqAgent _redq;
    private readonly SacAgent _sac;
    private long _td3Step, _redqStep, _sacStep;

    public OffPolicyUpdateCases()
    {
        var obs = new Box(-8f, 8f, 3);
        var act = new Box(-2f, 2f, 1);
        _td3 = new Td3Agent(obs, act, new Td3Params { BatchSize = Batch, BufferSize = 10_000, UpdateActorFreq = 2 }, 0,
            createActor: rng => new DeterministicActor(3, [256, 256], 1, Activation.ReLU, rng), createCritic: rng => new TwinQCritic(3, 1, [256, 256], Activation.ReLU, rng));
        _redq = new RedqAgent(obs, act, new RedqParams
        {
            BatchSize = Batch, BufferSize = 10_000, EnsembleSize = 10, SubsetSize = 2, ActorDelay = Redq_G, GradientSteps = Redq_G,
        }, 0);
        _sac = new SacAgent(obs, act, SacPresets.PendulumV1.Params, 0);
        Fill(_td3, 10_000);
        Fill(_sac, 10_000);
        Fill(_redq, 10_000);
    }

    private static void Fill(IOffPolicyAgent agent, int n)
    {
        var rng = new Rng(7);
        var o = new float[3];
        var next = new float[3];
        for (var i = 0; i < n; i++)
        {
            rng.FillNormal(o);
            rng.FillNormal(next);
            agent.Buffer.Add(o, [2f * rng.NextFloat() - 1f], [-rng.NextFloat()], next, [false], [false]);
        }
    }

    /// <summary>One TD3 cycle: a critic step, then a critic, actor and target step.</summary>
    public void Td3Update()
    {
        _td3.Update(1, ++_td3Step);
        _td3.Update(1, ++_td3Step);
    }

    /// <summary>One REDQ environment step's worth of updates: G critic steps, the last with the actor and α.</summary>
    public void RedqUpdate()
    {
        for (var i = 0; i < Redq_G; i++) _redq.Update(1, ++_redqStep);
    }

    /// <summary>One SAC gradient step (α, critics, actor, targets).</summary>
    public void SacUpdate() => _sac.Update(1, ++_sacStep);

    /// <summary>The <c>--quick</c> cases.</summary>
    public static IEnumerable<QuickCase> QuickCases()
    {
        var cases = new OffPolicyUpdateCases();
        yield return new QuickCase("td3_update", cases.Td3Update, Warmup: 20, Reps: 60, Threads: 1);
        yield return new QuickCase("redq_update", cases.RedqUpdate, Warmup: 3, Reps: 10, Threads: 1);
        yield return new QuickCase("td3_update_t2", cases.Td3Update, Warmup: 20, Reps: 60, Threads: 2);
        yield return new QuickCase("sac_agent_update_t1", cases.SacUpdate, Warmup: 20, Reps: 100, Threads: 1);
        yield return new QuickCase("sac_agent_update_t2", cases.SacUpdate, Warmup: 20, Reps: 100, Threads: 2);
    }
}

/// <summary>BenchmarkDotNet's view of <see cref="OffPolicyUpdateCases"/> (allocations measured by the memory diagnoser).</summary>
[MemoryDiagnoser]
public class OffPolicyUpdateBenchmarks
{
    private readonly OffPolicyUpdateCases _cases = new();

    [Benchmark] public void td3_update() => _cases.Td3Update();

    [Benchmark] public void redq_update() => _cases.RedqUpdate();
}
