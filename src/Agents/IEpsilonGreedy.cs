namespace RlExperiments.Agents;

/// <summary>
/// An agent that explores ε-greedily (DQN and its relatives), so epoch callbacks can set its exploration rate without
/// knowing its type (Tianshou's <c>EpochTrainCallbackDQNEpsLinearDecay</c>, <c>EpochTestCallbackDQNSetEps</c>).
/// </summary>
public interface IEpsilonGreedy
{
    /// <summary>The current exploration rate ε; a value set here holds until the next training step recomputes it. Allowed: [0, 1].</summary>
    double Epsilon { get; set; }

    /// <summary>When set, the training ε used instead of the agent's schedule. Allowed: null or [0, 1].</summary>
    double? FixedEpsilon { get; set; }
}
