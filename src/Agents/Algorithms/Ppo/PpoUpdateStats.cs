namespace RlExperiments.Agents.Algorithms.Ppo;

/// <summary>What one PPO update did, averaged over its minibatches (Stable-Baselines3's logged values); see <see cref="PpoAgent.LastUpdate"/>.</summary>
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
/// <param name="Loss">Mean total loss <c>L^CLIP − c_ent·H + c_vf·L^V</c> of the applied gradient steps.</param>
public readonly record struct PpoUpdateStats(
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
    bool StoppedEarly,
    double Loss);
