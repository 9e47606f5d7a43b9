using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Agents.Tests;

/// <summary>Shared helpers for the off-policy agent tests.</summary>
internal static class OffPolicyTestEnvs
{
    public static (Space Obs, Space Act) Spaces(string id)
    {
        using var env = EnvRegistry.Default.Make(id);
        return (env.ObservationSpace, env.ActionSpace);
    }

    /// <summary>Trains <paramref name="agent"/> on <paramref name="envId"/> for <paramref name="steps"/> env steps in one epoch, then evaluates 10 deterministic episodes.</summary>
    public static (TrainerResult Result, EvaluationResult Eval) TrainAndEvaluate(IOffPolicyAgent agent, string envId, int steps, int seed, int evalSeed = 1000)
    {
        using var train = EnvRegistry.Default.MakeVec(envId, agent.NumEnvs);
        using var test = EnvRegistry.Default.MakeVec(envId, 1);
        var result = new OffPolicyTrainer(agent, train, null, new TrainerConfig(1, steps, 0), TestEnvSeeds.For(seed, train, null)).Run();
        test.Reset(evalSeed);
        return (result, new Evaluator(test).Evaluate(agent, 10));
    }

    /// <summary>All parameter values of the agent's networks, flattened.</summary>
    public static float[] Weights(IEnumerable<RlExperiments.Tensors.Nn.Module> modules) =>
        modules.SelectMany(m => m.Parameters()).SelectMany(p => p.ToArray()).ToArray();
}
