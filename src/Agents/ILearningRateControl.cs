namespace RlExperiments.Agents;

/// <summary>
/// An agent whose optimisers' learning rate can be read and set from outside, e.g. to push a new configuration's
/// learning rate into optimisers whose loaded checkpoint state carries the previous one (AutoRL).
/// </summary>
public interface ILearningRateControl
{
    /// <summary>The learning rate of the agent's (first) optimiser now.</summary>
    double LearningRate { get; }

    /// <summary>Sets the learning rate of every optimiser the parameters' learning rate drives.</summary>
    /// <param name="learningRate">The new learning rate; finite and ≥ 0.</param>
    void SetLearningRate(double learningRate);
}
