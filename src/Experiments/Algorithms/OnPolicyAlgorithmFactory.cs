using RlExperiments.Agents;
using RlExperiments.Agents.Training;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The on-policy algorithms' shared part (PPO, and PG, A2C, NPG, TRPO to come; Tianshou's <c>OnPolicyAlgorithmFactory</c>):
/// the sampling settings they reject and the trainer that drives them (<see cref="OnPolicyTrainer"/>).
/// </summary>
public abstract record OnPolicyAlgorithmFactory : AlgorithmFactory
{
    /// <inheritdoc />
    public override void CheckApplicable(SamplingConfig sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var why = $"{AlgorithmName} is on-policy: it trains on each fresh rollout and keeps no replay buffer";
        if (sampling.BufferSize is not null) Reject(AlgorithmName, nameof(sampling.BufferSize), sampling.BufferSize, why + "; the rollout holds StepPerCollect steps");
        if (sampling.UpdatePerStep is not null) Reject(AlgorithmName, nameof(sampling.UpdatePerStep), sampling.UpdatePerStep, "on-policy updates are set by RepeatPerCollect and BatchSize");
        if (sampling.StartTimesteps is not null) Reject(AlgorithmName, nameof(sampling.StartTimesteps), sampling.StartTimesteps, why);
        if (sampling.StartTimestepsRandom is not null) Reject(AlgorithmName, nameof(sampling.StartTimestepsRandom), sampling.StartTimestepsRandom, why);
        if (sampling.EpisodePerCollect is not null) Reject(AlgorithmName, nameof(sampling.EpisodePerCollect), sampling.EpisodePerCollect, "the trainers collect by environment steps; use StepPerCollect");
    }

    /// <summary>
    /// Stable-Baselines3's PPO warnings, for every on-policy params record (<see cref="IRolloutParams"/>): a minibatch
    /// larger than the rollout (one minibatch of the whole rollout is used), and a rollout that the minibatch does not
    /// divide (the last minibatch of each pass is smaller).
    /// </summary>
    public override IEnumerable<string> Warnings(SamplingConfig sampling, ResolvedSampling resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        if (EffectiveParamsRecord(sampling, resolved.NumTrainEnvs) is not IRolloutParams { MinibatchSize: { } batch } p) yield break;
        var rollout = (long)p.NumSteps * resolved.NumTrainEnvs;
        var where = $"{AlgorithmName}: the minibatch (BatchSize = {batch}) and the rollout (NumSteps {p.NumSteps} × NumTrainEnvs {resolved.NumTrainEnvs} = {rollout} steps)";
        if (batch > rollout)
            yield return $"{where}: the minibatch is larger than the rollout, so each pass is one minibatch of {rollout} steps; lower BatchSize or raise NumSteps.";
        else if (rollout % batch != 0)
            yield return $"{where}: the rollout is not a multiple of the minibatch, so after every {rollout / batch} full minibatches comes a truncated one of {rollout % batch} steps; choose a BatchSize that divides the rollout.";
    }

    /// <summary>The on-policy agents act on Discrete (categorical) and Box (Gaussian) action spaces and need Box observations; override to narrow.</summary>
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not (Discrete or Box))
            throw new ArgumentException($"{AlgorithmName} supports Discrete and Box action spaces, but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"{AlgorithmName} needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override ITrainer CreateTrainer(IAgent agent, TrainerEnvironments envs, TrainerConfig config, TrainerCallbacks callbacks,
        IMetricsSink metrics, int metricsInterval = 1000)
    {
        ArgumentNullException.ThrowIfNull(envs);
        var onPolicy = agent as IOnPolicyAlgorithm
            ?? throw new ArgumentException($"{AlgorithmName}'s agent must be an {nameof(IOnPolicyAlgorithm)}; got {agent?.GetType().Name ?? "null"}.", nameof(agent));
        return new OnPolicyTrainer(onPolicy, envs.Train, envs.Test, config, envs.Seeds, callbacks, metrics);
    }
}
