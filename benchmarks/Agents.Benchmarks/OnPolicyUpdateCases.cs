using BenchmarkDotNet.Attributes;
using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Benchmarks;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// Per-update cost of A2C and TRPO on a CartPole-sized problem, paired line by line with
/// <c>benchmarks/onpolicy_torch_reference.py</c>: observations 4, 2 actions, separate 64-64 Tanh actor and critic, one
/// environment × 2048 steps of rollout. <c>a2c_update</c> is one A2C update (A2cParams' defaults: one RMSprop step on the
/// whole rollout, entropy 0.01, value 0.5, clip 0.5); <c>trpo_update</c> one TRPO update (TrpoParams' defaults: surrogate
/// gradient, 10 conjugate-gradient iterations of damped Fisher–vector products, xᵀFx, the line search, 5 critic Adam steps
/// on the whole rollout). Each call first restores the networks' starting weights, so every call does the same work
/// (the same number of line-search tries) however many calls came before.
/// </summary>
public class OnPolicyUpdateCases
{
    private const int RolloutSteps = 2048;
    private static readonly Box CartPoleObs = new([-4.8f, -1e9f, -0.42f, -1e9f], [4.8f, 1e9f, 0.42f, 1e9f]);

    private A2cAgent _a2c = null!;
    private TrpoAgent _trpo = null!;
    private RolloutBuffer _a2cBuffer = null!, _trpoBuffer = null!;
    private float[][] _a2cWeights = null!, _trpoWeights = null!;
    private Tensor[] _a2cParameters = null!, _trpoParameters = null!;
    private readonly OnPolicyUpdateContext _context = new(RolloutSteps, 1_000_000);

    /// <summary>Builds both agents and fills one rollout each (random observations, the agent's own actions, values and log-probabilities).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _a2c = new A2cAgent(CartPoleObs, new Discrete(2), new A2cParams { NumSteps = RolloutSteps }, seed: 0);
        _trpo = new TrpoAgent(CartPoleObs, new Discrete(2), new TrpoParams { NumSteps = RolloutSteps }, seed: 0);
        _a2cBuffer = Fill(_a2c);
        _trpoBuffer = Fill(_trpo);
        _a2cParameters = ParametersOf(_a2c);
        _trpoParameters = ParametersOf(_trpo);
        _a2cWeights = _a2cParameters.Select(p => p.ToArray()).ToArray();
        _trpoWeights = _trpoParameters.Select(p => p.ToArray()).ToArray();
    }

    /// <summary>One A2C update from the starting weights.</summary>
    [Benchmark]
    public void A2cUpdate()
    {
        Restore(_a2cParameters, _a2cWeights);
        _a2c.Update(_a2cBuffer, _context);
    }

    /// <summary>One TRPO update from the starting weights.</summary>
    [Benchmark]
    public void TrpoUpdate()
    {
        Restore(_trpoParameters, _trpoWeights);
        _trpo.Update(_trpoBuffer, _context);
    }

    /// <summary>The <c>--quick</c> cases (names as in <c>onpolicy_torch_reference.py</c>).</summary>
    public static IEnumerable<QuickCase> QuickCases()
    {
        var cases = new OnPolicyUpdateCases();
        cases.Setup();
        yield return new QuickCase("a2c_update", cases.A2cUpdate, Warmup: 20, Reps: 200, Threads: 1);
        yield return new QuickCase("trpo_update", cases.TrpoUpdate, Warmup: 5, Reps: 50, Threads: 1);
        Console.Error.WriteLine($"{{\"trpo_backtracks\": {cases._trpo.LastUpdate.Backtracks}, \"trpo_accepted\": {cases._trpo.LastUpdate.AcceptedSteps}, \"trpo_kl\": {cases._trpo.LastUpdate.Kl:0.######}}}");
    }

    private static RolloutBuffer Fill(IOnPolicyAlgorithm agent)
    {
        var rng = new Rng(1);
        var buffer = new RolloutBuffer(RolloutSteps, 1, 4, 1);
        float[] obs = new float[4], action = new float[1], value = new float[1], logProb = new float[1];
        for (var t = 0; t < RolloutSteps; t++)
        {
            for (var i = 0; i < 4; i++) obs[i] = (float)(rng.NextDouble() * 0.2 - 0.1);
            agent.ActForRollout(obs, action, value, logProb);
            buffer.Add(obs, action, [1f], [t % 200 == 199], [false], value, logProb);
        }
        buffer.ComputeReturnsAndAdvantages(new float[1], 0.99, 0.95);
        return buffer;
    }

    private static Tensor[] ParametersOf(IOnPolicyAlgorithm agent) => agent.Networks.Values.SelectMany(n => n.Parameters()).Distinct().ToArray();

    private static void Restore(Tensor[] parameters, float[][] weights)
    {
        for (var k = 0; k < parameters.Length; k++) weights[k].CopyTo(parameters[k].Data);
    }
}
