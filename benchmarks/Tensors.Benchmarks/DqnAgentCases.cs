using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// The real <see cref="DqnAgent"/> in CleanRL's CartPole setting (dqn.py: batch 128, MSE, Adam 2.5e-4; our agent also
/// clips the gradient norm at 10), so the agent's own overheads are timed, not only the tensor ops of <c>dqn_update</c>.
/// The Q-network is 4-64-64-2 ReLU (the shapes of <c>dqn_update</c> and of issue 17's end-to-end run) unless the case
/// name ends in <c>_cleanrl</c> (dqn.py's 4-120-84-2):
/// <list type="bullet">
/// <item><c>dqn_agent_update</c>: one <see cref="DqnAgent.Update"/>, replay sampling from a full 10,000-row buffer included.</item>
/// <item><c>dqn_act_batch1</c>: one ε-greedy <see cref="DqnAgent.Act"/> on one observation with ε = 0.05 (CleanRL's end ε),
/// i.e. mostly a batch-1 forward pass and argmax.</item>
/// </list>
/// </summary>
public sealed class DqnAgentCases
{
    private const int Batch = 128, BufferRows = 10_000;
    private readonly DqnAgent _agent;
    private readonly float[] _obs = new float[4];
    private readonly float[] _action = new float[1];
    private readonly Rng _obsRng = new(5);
    private long _step;

    public DqnAgentCases(int[] hidden)
    {
        var parameters = new DqnParams
        {
            LearningRate = 2.5e-4, BatchSize = Batch, BufferSize = BufferRows, Loss = DqnLoss.Mse,
            TargetUpdateInterval = 500, TrainFreq = 10, LearningStarts = 10_000, ExplorationFraction = 0.5,
        };
        _agent = new DqnAgent(new Box(-5f, 5f, 4), new Discrete(2), parameters, seed: 0,
            createQNetwork: rng => new Mlp(4, hidden, 2, Activation.ReLU, rng));
        var rng = new Rng(7);
        var o = new float[4];
        var next = new float[4];
        for (var i = 0; i < BufferRows; i++)
        {
            rng.FillNormal(o);
            rng.FillNormal(next);
            _agent.Buffer.Add(o, [rng.NextInt(2)], [1f], next, [rng.NextInt(50) == 0], [false]);
        }
        _agent.Epsilon = 0.05;
    }

    /// <summary>One DQN gradient step, sampling included.</summary>
    public void Update() => _agent.Update(10_000, ++_step);

    /// <summary>One ε-greedy action for one observation.</summary>
    public void ActBatch1()
    {
        _obsRng.FillNormal(_obs);
        _agent.Act(_obs, _action, deterministic: false);
    }

    /// <summary>The <c>--quick</c> cases (single-threaded products, as in the agents' runs on small networks).</summary>
    public static IEnumerable<QuickCase> QuickCases()
    {
        var cases = new DqnAgentCases([64, 64]);
        yield return new QuickCase("dqn_agent_update", cases.Update, Reps: 400, Threads: 1);
        yield return new QuickCase("dqn_act_batch1", cases.ActBatch1, Reps: 4000, Threads: 1);
        var cleanRl = new DqnAgentCases([120, 84]);
        yield return new QuickCase("dqn_agent_update_cleanrl", cleanRl.Update, Reps: 400, Threads: 1);
        yield return new QuickCase("dqn_act_batch1_cleanrl", cleanRl.ActBatch1, Reps: 4000, Threads: 1);
    }
}
