namespace RlExperiments.Agents.Training;

/// <summary>What one on-policy update did, averaged over its minibatches (Stable-Baselines3's logged values).</summary>
/// <param name="PolicyLoss">Mean clipped-surrogate loss.</param>
/// <param name="ValueLoss">Mean value loss.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Mean approximate KL(old ‖ new) over the last update epoch's minibatches.</param>
/// <param name="ClipFraction">Mean fraction of samples whose ratio left [1 − ε, 1 + ε].</param>
/// <param name="GradNorm">Mean gradient norm before clipping.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="ClipRange">The clip range ε used.</param>
/// <param name="Epochs">Update epochs run (fewer than configured when the target-KL stop fired).</param>
/// <param name="GradientSteps">Gradient steps applied in this update.</param>
/// <param name="StoppedEarly">Whether the target-KL rule stopped the update.</param>
public readonly record struct OnPolicyUpdateStats(
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproxKl,
    double ClipFraction,
    double GradNorm,
    double LearningRate,
    double ClipRange,
    int Epochs,
    int GradientSteps,
    bool StoppedEarly);
