using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Agents.Tests.Ppo;

public class PpoParamsTests
{
    [Fact]
    public void Defaults_are_stable_baselines3s()
    {
        var p = new PpoParams();
        (p.LearningRate, p.NumSteps, p.BatchSize, p.UpdateEpochs, p.Gamma, p.GaeLambda).Should().Be((3e-4, 2048, 64, 10, 0.99, 0.95));
        (p.ClipRange, p.ClipRangeVf, p.NormalizeAdvantage, p.EntCoef, p.VfCoef, p.MaxGradNorm, p.TargetKl).Should().Be((0.2, (double?)null, true, 0.0, 0.5, 0.5, (double?)null));
        (p.LogStdInit, p.AdamEps, p.NormalizeObservations, p.NormalizeRewards).Should().Be((0.0, 1e-5, false, false));
        p.Validate();
    }

    public static TheoryData<PpoParams, string, string> Invalid => new()
    {
        { new PpoParams { LearningRate = 0 }, "LearningRate", "> 0" },
        { new PpoParams { LearningRate = double.NaN }, "LearningRate", "> 0" },
        { new PpoParams { NumSteps = 0 }, "NumSteps", "≥ 1" },
        { new PpoParams { BatchSize = 1 }, "BatchSize", "≥ 2" },
        { new PpoParams { UpdateEpochs = 0 }, "UpdateEpochs", "≥ 1" },
        { new PpoParams { Gamma = 1.01 }, "Gamma", "[0, 1]" },
        { new PpoParams { GaeLambda = -0.1 }, "GaeLambda", "[0, 1]" },
        { new PpoParams { ClipRange = 0 }, "ClipRange", "> 0" },
        { new PpoParams { ClipRangeVf = -1 }, "ClipRangeVf", "null to disable" },
        { new PpoParams { EntCoef = -0.01 }, "EntCoef", "≥ 0" },
        { new PpoParams { VfCoef = -1 }, "VfCoef", "≥ 0" },
        { new PpoParams { MaxGradNorm = 0 }, "MaxGradNorm", "> 0" },
        { new PpoParams { TargetKl = 0 }, "TargetKl", "null to disable" },
        { new PpoParams { ObservationClip = 0 }, "ObservationClip", "> 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_values_name_the_field_and_the_allowed_range(PpoParams p, string field, string range)
    {
        var build = () => new PpoAgent(new Box(-1f, 1f, 4), new Discrete(2), p, 0);
        build.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == field)
            .Which.Message.Should().Contain(range);
    }

    [Fact]
    public void Batch_size_one_is_allowed_without_advantage_normalisation()
    {
        new PpoParams { BatchSize = 1, NormalizeAdvantage = false }.Validate();
    }

    [Fact]
    public void Unsupported_spaces_are_rejected()
    {
        var discreteObs = () => new PpoAgent(new Discrete(3), new Discrete(2), new PpoParams(), 0);
        discreteObs.Should().Throw<ArgumentException>().WithMessage("*Box observation space*");
    }

    [Fact]
    public void Zoo_presets_match_hyperparams_ppo_yml()
    {
        var cartPole = PpoPresets.For("CartPole-v1");
        (cartPole.NumEnvs, cartPole.TotalTimesteps).Should().Be((8, 100_000L));
        var c = cartPole.Params;
        (c.NumSteps, c.BatchSize, c.GaeLambda, c.Gamma, c.UpdateEpochs, c.EntCoef).Should().Be((32, 256, 0.8, 0.98, 20, 0.0));
        (c.LearningRate, c.AnnealLearningRate, c.ClipRange, c.AnnealClipRange).Should().Be((1e-3, true, 0.2, true));

        var acrobot = PpoPresets.For("Acrobot-v1");
        (acrobot.NumEnvs, acrobot.TotalTimesteps).Should().Be((16, 1_000_000L));
        var a = acrobot.Params;
        (a.NumSteps, a.GaeLambda, a.Gamma, a.UpdateEpochs, a.EntCoef, a.NormalizeObservations, a.NormalizeRewards).Should().Be((256, 0.94, 0.99, 4, 0.0, true, true));
        (a.BatchSize, a.LearningRate, a.AnnealLearningRate).Should().Be((64, 3e-4, false));

        var unknown = () => PpoPresets.For("Pong-v5");
        unknown.Should().Throw<ArgumentException>().WithMessage("*CartPole-v1*");
    }
}
