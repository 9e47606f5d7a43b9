namespace RlExperiments.Agents.PolicyGradient;

/// <summary>
/// What the params of an on-policy actor-critic (PPO, A2C) say about its Gaussian policy and its observation normaliser: the
/// part the experiments layer reads without knowing the algorithm (model factories, structural hyperparameters).
/// </summary>
public interface IActorCriticParams
{
    /// <summary>Initial log-standard-deviation of a Gaussian policy.</summary>
    double LogStdInit { get; }

    /// <summary>Whether observations are normalised with running statistics (fixed for a run).</summary>
    bool NormalizeObservations { get; }

    /// <summary>Throws naming the field when a value is out of range.</summary>
    void Validate();
}
