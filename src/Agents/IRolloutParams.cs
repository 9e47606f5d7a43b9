namespace RlExperiments.Agents;

/// <summary>
/// The rollout shape every on-policy params record has: steps per environment per rollout and the minibatch the
/// update cuts it into. The experiment layer reads it to warn about minibatches that do not fit the rollout.
/// </summary>
public interface IRolloutParams
{
    /// <summary>Steps per environment per rollout (Stable-Baselines3's <c>n_steps</c>).</summary>
    int NumSteps { get; }

    /// <summary>Transitions per minibatch (Stable-Baselines3's <c>batch_size</c>), or null for the whole rollout.</summary>
    int? MinibatchSize { get; }
}
