using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Algorithms.Td3;

namespace RlExperiments.Agents.Tests;

/// <summary>Every off-policy params record accepts GradientSteps up to the shared limit and refuses one more, naming the field.</summary>
public sealed class OffPolicyParamsLimitsTests
{
    public static TheoryData<string> Algorithms => ["DQN", "IQN", "SAC", "DDPG", "TD3", "REDQ", "DiscreteSAC"];

    private static IOffPolicyParams With(string algo, int g) => algo switch
    {
        "DQN" => new DqnParams { GradientSteps = g },
        "IQN" => new IqnParams { GradientSteps = g },
        "SAC" => new SacParams { GradientSteps = g },
        "DDPG" => new DdpgParams { GradientSteps = g },
        "TD3" => new Td3Params { GradientSteps = g },
        "REDQ" => new RedqParams { GradientSteps = g },
        _ => new DiscreteSacParams { GradientSteps = g },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void GradientSteps_beyond_the_limit_is_refused_naming_the_field(string algo)
    {
        With(algo, -1).Validate();
        With(algo, IOffPolicyParams.MaxGradientSteps).Validate();
        FluentActions.Invoking(() => With(algo, IOffPolicyParams.MaxGradientSteps + 1).Validate())
            .Should().Throw<ArgumentException>().WithMessage("*GradientSteps*0..100000*100001*");
        FluentActions.Invoking(() => With(algo, -2).Validate()).Should().Throw<ArgumentException>().WithMessage("*GradientSteps*");
    }
}
