using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Factories;

/// <summary>
/// The live environments of one run, created by <see cref="EnvFactory.Create"/> (Tianshou's <c>Environments</c>;
/// named differently here so it cannot be confused with the <c>RlExperiments.Environments</c> namespace): the
/// training and test vector environments, the watch environment, their spaces, the spec and the seeds used.
/// Not serialisable; dispose it to release the environments (and the parallel workers).
/// </summary>
public sealed class EnvironmentSet : IDisposable
{
    internal EnvironmentSet(string envId, VectorEnv train, VectorEnv? test, Env watch, EnvSpec spec, EnvSeeds seeds)
    {
        EnvId = envId;
        Train = train;
        Test = test;
        Watch = watch;
        Spec = spec;
        Seeds = seeds;
    }

    /// <summary>The environment id.</summary>
    public string EnvId { get; }

    /// <summary>The training environments (reset with <see cref="EnvSeeds.Train"/>).</summary>
    public VectorEnv Train { get; }

    /// <summary>The test environments (reset with <see cref="EnvSeeds.Test"/>), or null when none were requested.</summary>
    public VectorEnv? Test { get; }

    /// <summary>One environment for watching the agent (reset with <see cref="EnvSeeds.Watch"/>; uses the test kwargs).</summary>
    public Env Watch { get; }

    /// <summary>The spec of the training environments, with the effective time limit and kwargs.</summary>
    public EnvSpec Spec { get; }

    /// <summary>The seeds derived from the experiment seed.</summary>
    public EnvSeeds Seeds { get; }

    /// <summary>The observation space of one environment.</summary>
    public Space ObservationSpace => Train.SingleObservationSpace;

    /// <summary>The action space of one environment.</summary>
    public Space ActionSpace => Train.SingleActionSpace;

    /// <summary>True when the action space is <see cref="Discrete"/>.</summary>
    public bool IsDiscrete => ActionSpace is Discrete;

    /// <summary>The return at which the task counts as solved (from the spec), or null.</summary>
    public double? RewardThreshold => Spec.RewardThreshold;

    /// <summary>The effective episode time limit, or null for none.</summary>
    public int? MaxEpisodeSteps => Spec.MaxEpisodeSteps;

    /// <summary>Disposes every environment.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test?.Dispose();
        Watch.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{EnvId}: {Train.NumEnvs} train / {Test?.NumEnvs ?? 0} test envs, observations {ObservationSpace}, actions {ActionSpace}, seeds {Seeds}";
}
