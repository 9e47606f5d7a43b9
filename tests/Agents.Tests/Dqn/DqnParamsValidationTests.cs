using RlExperiments.Agents.Algorithms.Dqn;

namespace RlExperiments.Agents.Tests.Dqn;

/// <summary>
/// <see cref="DqnParams.Validate"/> field by field: each documented range accepts its bounds and refuses the values just
/// outside it (and NaN / ∞ where a double is checked), with a message naming the field, the allowed range and the value.
/// </summary>
public sealed class DqnParamsValidationTests
{
    private const string GradientStepsAllowed = "0..100000, or −1 for one per environment step collected";

    public static TheoryData<string, DqnParams, string, object> Invalid => new()
    {
        { "LearningRate", new DqnParams { LearningRate = 0 }, "a finite number > 0", 0.0 },
        { "LearningRate", new DqnParams { LearningRate = -1e-3 }, "a finite number > 0", -1e-3 },
        { "LearningRate", new DqnParams { LearningRate = double.PositiveInfinity }, "a finite number > 0", double.PositiveInfinity },
        { "LearningRate", new DqnParams { LearningRate = double.NaN }, "a finite number > 0", double.NaN },
        { "BufferSize", new DqnParams { BufferSize = 0 }, "≥ 1", 0 },
        { "LearningStarts", new DqnParams { LearningStarts = -1 }, "≥ 0", -1 },
        { "BatchSize", new DqnParams { BatchSize = 0 }, "≥ 1", 0 },
        { "Tau", new DqnParams { Tau = 0 }, "in (0, 1]", 0.0 },
        { "Tau", new DqnParams { Tau = 1.01 }, "in (0, 1]", 1.01 },
        { "Tau", new DqnParams { Tau = double.NaN }, "in (0, 1]", double.NaN },
        { "Gamma", new DqnParams { Gamma = -0.01 }, "in [0, 1]", -0.01 },
        { "Gamma", new DqnParams { Gamma = 1.01 }, "in [0, 1]", 1.01 },
        { "Gamma", new DqnParams { Gamma = double.NaN }, "in [0, 1]", double.NaN },
        { "TrainFreq", new DqnParams { TrainFreq = 0 }, "≥ 1", 0 },
        { "GradientSteps", new DqnParams { GradientSteps = -2 }, GradientStepsAllowed, -2 },
        { "GradientSteps", new DqnParams { GradientSteps = IOffPolicyParams.MaxGradientSteps + 1 }, GradientStepsAllowed, 100_001 },
        { "TargetUpdateInterval", new DqnParams { TargetUpdateInterval = 0 }, "≥ 1", 0 },
        { "ExplorationFraction", new DqnParams { ExplorationFraction = -0.01 }, "in [0, 1]", -0.01 },
        { "ExplorationFraction", new DqnParams { ExplorationFraction = 1.01 }, "in [0, 1]", 1.01 },
        { "ExplorationInitialEps", new DqnParams { ExplorationInitialEps = -0.01 }, "in [0, 1]", -0.01 },
        { "ExplorationInitialEps", new DqnParams { ExplorationInitialEps = 1.01 }, "in [0, 1]", 1.01 },
        { "ExplorationFinalEps", new DqnParams { ExplorationFinalEps = -0.01 }, "in [0, 1]", -0.01 },
        { "ExplorationFinalEps", new DqnParams { ExplorationFinalEps = 1.01 }, "in [0, 1]", 1.01 },
        { "MaxGradNorm", new DqnParams { MaxGradNorm = 0 }, "> 0 (PositiveInfinity disables clipping)", 0.0 },
        { "MaxGradNorm", new DqnParams { MaxGradNorm = double.NaN }, "> 0 (PositiveInfinity disables clipping)", double.NaN },
        { "NStep", new DqnParams { NStep = 0 }, "≥ 1", 0 },
        { "Loss", new DqnParams { Loss = (DqnLoss)2 }, "Huber or Mse", (DqnLoss)2 },
        { "PriorityAlpha", new DqnParams { PriorityAlpha = -0.01 }, "a finite number ≥ 0", -0.01 },
        { "PriorityAlpha", new DqnParams { PriorityAlpha = double.PositiveInfinity }, "a finite number ≥ 0", double.PositiveInfinity },
        { "PriorityAlpha", new DqnParams { PriorityAlpha = double.NaN }, "a finite number ≥ 0", double.NaN },
        { "PriorityBeta0", new DqnParams { PriorityBeta0 = -0.01 }, "in [0, 1]", -0.01 },
        { "PriorityBeta0", new DqnParams { PriorityBeta0 = 1.01 }, "in [0, 1]", 1.01 },
        { "PriorityEps", new DqnParams { PriorityEps = 0 }, "a finite number > 0", 0.0 },
        { "PriorityEps", new DqnParams { PriorityEps = double.PositiveInfinity }, "a finite number > 0", double.PositiveInfinity },
        { "PriorityEps", new DqnParams { PriorityEps = double.NaN }, "a finite number > 0", double.NaN },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_out_of_range_field_is_refused_naming_the_field_the_range_and_the_value(string field, DqnParams p, string allowed, object value)
    {
        var e = p.Invoking(x => x.Validate()).Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(field);
        e.ActualValue.Should().Be(value);
        e.Message.Should().StartWith($"DqnParams.{field} must be {allowed}; got {value}.");
    }

    public static TheoryData<string, DqnParams> Bounds => new()
    {
        { "LearningRate tiny", new DqnParams { LearningRate = 1e-12 } },
        { "BufferSize 1", new DqnParams { BufferSize = 1 } },
        { "LearningStarts 0", new DqnParams { LearningStarts = 0 } },
        { "BatchSize 1", new DqnParams { BatchSize = 1 } },
        { "Tau 1", new DqnParams { Tau = 1 } },
        { "Tau tiny", new DqnParams { Tau = 1e-12 } },
        { "Gamma 0", new DqnParams { Gamma = 0 } },
        { "Gamma 1", new DqnParams { Gamma = 1 } },
        { "TrainFreq 1", new DqnParams { TrainFreq = 1 } },
        { "GradientSteps -1", new DqnParams { GradientSteps = -1 } },
        { "GradientSteps 0", new DqnParams { GradientSteps = 0 } },
        { "GradientSteps max", new DqnParams { GradientSteps = IOffPolicyParams.MaxGradientSteps } },
        { "TargetUpdateInterval 1", new DqnParams { TargetUpdateInterval = 1 } },
        { "ExplorationFraction 0", new DqnParams { ExplorationFraction = 0 } },
        { "ExplorationFraction 1", new DqnParams { ExplorationFraction = 1 } },
        { "ExplorationInitialEps 0", new DqnParams { ExplorationInitialEps = 0 } },
        { "ExplorationInitialEps 1", new DqnParams { ExplorationInitialEps = 1 } },
        { "ExplorationFinalEps 0", new DqnParams { ExplorationFinalEps = 0 } },
        { "ExplorationFinalEps 1", new DqnParams { ExplorationFinalEps = 1 } },
        { "MaxGradNorm +inf", new DqnParams { MaxGradNorm = double.PositiveInfinity } },
        { "MaxGradNorm tiny", new DqnParams { MaxGradNorm = 1e-12 } },
        { "NStep 1", new DqnParams { NStep = 1 } },
        { "Loss Mse", new DqnParams { Loss = DqnLoss.Mse } },
        { "PriorityAlpha 0", new DqnParams { PriorityAlpha = 0 } },
        { "PriorityBeta0 0", new DqnParams { PriorityBeta0 = 0 } },
        { "PriorityBeta0 1", new DqnParams { PriorityBeta0 = 1 } },
        { "PriorityEps tiny", new DqnParams { PriorityEps = 1e-12 } },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void The_bounds_of_every_range_are_accepted(string what, DqnParams p) =>
        p.Invoking(x => x.Validate()).Should().NotThrow(what);
}
