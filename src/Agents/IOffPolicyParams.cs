namespace RlExperiments.Agents;

/// <summary>
/// What every off-policy params record says about its replay schedule and its default networks (Stable-Baselines3's
/// names): the part the experiments layer reads and overrides without knowing the algorithm.
/// </summary>
public interface IOffPolicyParams
{
    /// <summary>Transitions per gradient step.</summary>
    int BatchSize { get; }

    /// <summary>Replay-buffer capacity in transitions.</summary>
    int BufferSize { get; }

    /// <summary>Environment steps of uniform random actions before learning.</summary>
    int LearningStarts { get; }

    /// <summary>Vector steps between training rounds.</summary>
    int TrainFreq { get; }

    /// <summary>Gradient steps per training round (−1: one per environment step collected), at most <see cref="MaxGradientSteps"/>.</summary>
    int GradientSteps { get; }

    /// <summary>
    /// The largest <see cref="GradientSteps"/> accepted: the top of the widest published search space (ARLBench's SAC
    /// space, 1..100,000; the zoo's largest setting is 256, REDQ's update-to-data ratio 20), so a mistyped or tampered
    /// value such as 10^8 is refused instead of training for days.
    /// </summary>
    const int MaxGradientSteps = 100_000;

    /// <summary>Throws naming the field when a value is out of range.</summary>
    void Validate();
}
