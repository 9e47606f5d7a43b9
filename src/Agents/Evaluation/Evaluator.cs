using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Evaluation;

/// <summary>
/// Runs a policy on test environments for a number of whole episodes. Episodes are spread over the
/// environments as Stable-Baselines3's <c>evaluate_policy</c> does (environment i runs
/// <c>(n + i) / N</c> of them), so short episodes are not over-represented. The buffers are allocated
/// once per evaluator; <see cref="Evaluate"/> allocates nothing but its result.
/// </summary>
public sealed class Evaluator
{
    private readonly VectorEnv _envs;
    private readonly float[] _actions;
    private readonly int[] _discrete;
    private readonly int[] _done;
    private readonly int[] _target;

    /// <summary>Creates an evaluator over <paramref name="testEnvs"/> (which it steps and resets).</summary>
    public Evaluator(VectorEnv testEnvs)
    {
        _envs = testEnvs;
        _actions = new float[testEnvs.NumEnvs * testEnvs.ActionSize];
        _discrete = new int[testEnvs.NumEnvs];
        _done = new int[testEnvs.NumEnvs];
        _target = new int[testEnvs.NumEnvs];
    }

    /// <summary>The test environments.</summary>
    public VectorEnv Envs => _envs;

    /// <summary>
    /// Plays <paramref name="numEpisodes"/> episodes and returns their returns and lengths.
    /// <paramref name="seed"/>, when given, resets the environments with it first (environment i with seed + i);
    /// otherwise they are reset continuing their own generators.
    /// <paramref name="epsilon"/>, when given with <paramref name="deterministic"/> false, is the exploration rate an
    /// ε-greedy agent (<see cref="IEpsilonGreedy"/>) acts with during these episodes (ARLBench's <c>eval_eps</c>, Tianshou's
    /// test ε); the agent's own ε is put back afterwards, so training continues unchanged. Other agents evaluate with their
    /// own stochastic policy.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> lies outside [0, 1].</exception>
    public EvaluationResult Evaluate(IAgent agent, int numEpisodes, bool deterministic = true, int? seed = null, double? epsilon = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEpisodes);
        if (epsilon is { } e && !(e >= 0 && e <= 1))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"The evaluation ε = {e} is invalid; allowed: [0, 1].");
        if (deterministic || epsilon is null || agent is not IEpsilonGreedy greedy)
            return Play(agent, numEpisodes, deterministic, seed);
        var training = greedy.Epsilon;
        greedy.Epsilon = epsilon.Value;
        try
        {
            return Play(agent, numEpisodes, deterministic, seed);
        }
        finally
        {
            greedy.Epsilon = training;
        }
    }

    private EvaluationResult Play(IAgent agent, int numEpisodes, bool deterministic, int? seed)
    {
        var n = _envs.NumEnvs;
        for (var i = 0; i < n; i++)
        {
            _target[i] = (numEpisodes + i) / n;
            _done[i] = 0;
        }
        var returns = new double[numEpisodes];
        var lengths = new int[numEpisodes];
        var collected = 0;
        _envs.Reset(seed);
        var discrete = _envs.SingleActionSpace is Discrete;
        while (collected < numEpisodes)
        {
            agent.Act(_envs.Observations, _actions, deterministic);
            if (discrete)
            {
                for (var i = 0; i < n; i++) _discrete[i] = (int)_actions[i];
                _envs.Step(_discrete);
            }
            else _envs.Step(_actions);
            for (var i = 0; i < n; i++)
            {
                if (!_envs.Dones[i] || _done[i] >= _target[i]) continue;
                returns[collected] = _envs.EpisodeReturns[i];
                lengths[collected] = _envs.EpisodeLengths[i];
                collected++;
                _done[i]++;
            }
        }
        return new EvaluationResult(returns, lengths);
    }
}
