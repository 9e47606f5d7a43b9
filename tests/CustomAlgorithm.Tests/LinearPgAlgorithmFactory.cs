using RlExperiments.Agents;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Tuning;

namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>The test-only algorithm's factory: its params as data, its agent created late, trained by the shared on-policy trainer.</summary>
public sealed record LinearPgAlgorithmFactory : OnPolicyAlgorithmFactory
{
    /// <summary>The hyperparameters.</summary>
    public LinearPgParams Params { get; init; } = new();

    public override string AlgorithmName => LinearPgModule.AlgorithmName;

    public override Type AgentType => typeof(LinearPgAgent);

    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (5, 2_000);

    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(LinearPgParams));
        ValidateParams(nameof(LinearPgParams), Params.Validate);
    }

    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Discrete)
            throw new ArgumentException($"LinearPG needs a Discrete action space, but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"LinearPG needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train) =>
        ValidateParams(nameof(LinearPgParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);

    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed) =>
        new LinearPgAgent(observationSpace, actionSpace, EffectiveParams(sampling, resolved.NumTrainEnvs), seed);

    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null)
    {
        var p = Params;
        foreach (var key in configuration.Keys)
        {
            p = key switch
            {
                "learning_rate" => p with { LearningRate = Convert.ToDouble(configuration[key], System.Globalization.CultureInfo.InvariantCulture) },
                "gamma" => p with { Gamma = Convert.ToDouble(configuration[key], System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown LinearPG hyperparameter '{key}'; known: learning_rate, gamma.", nameof(configuration)),
            };
        }
        return this with { Params = p };
    }

    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    private LinearPgParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs) =>
        sampling.StepPerCollect is { } steps ? Params with { NumSteps = steps / numTrainEnvs } : Params;
}
