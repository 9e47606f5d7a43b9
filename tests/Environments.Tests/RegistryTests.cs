using System.Text.Json;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

public class RegistryTests
{
    [Theory]
    [InlineData("CartPole-v0", 200, 195.0, typeof(CartPole))]
    [InlineData("CartPole-v1", 500, 475.0, typeof(CartPole))]
    [InlineData("Acrobot-v1", 500, -100.0, typeof(Acrobot))]
    [InlineData("MountainCar-v0", 200, -110.0, typeof(MountainCar))]
    [InlineData("MountainCarContinuous-v0", 999, 90.0, typeof(MountainCarContinuous))]
    [InlineData("Pendulum-v1", 200, null, typeof(Pendulum))]
    public void BuiltInIdsHaveGymnasiumLimitsAndThresholds(string id, int maxSteps, double? threshold, Type type)
    {
        var registry = new EnvRegistry();
        var spec = registry.Spec(id);
        spec.MaxEpisodeSteps.Should().Be(maxSteps);
        spec.RewardThreshold.Should().Be(threshold);

        using var env = registry.Make(id);
        env.Should().BeOfType<TimeLimit>().Which.MaxEpisodeSteps.Should().Be(maxSteps);
        env.Unwrapped.Should().BeOfType(type);
        env.Spec!.Id.Should().Be(id);
        env.Spec.MaxEpisodeSteps.Should().Be(maxSteps);
    }

    [Fact]
    public void UnknownIdListsKnownIdsAndTheClosestMatch()
    {
        var registry = new EnvRegistry();
        var make = () => registry.Make("CartPole-v2");
        var message = make.Should().Throw<ArgumentException>().Which.Message;
        message.Should().Contain("Unknown environment id 'CartPole-v2'").And.Contain("Did you mean 'CartPole-v1'?");
        foreach (var id in new[] { "Acrobot-v1", "CartPole-v0", "CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1" })
            message.Should().Contain(id);

        var typo = () => registry.Make("pendulm-v1");
        typo.Should().Throw<ArgumentException>().WithMessage("*Did you mean 'Pendulum-v1'?*");
    }

    [Fact]
    public void UnknownKwargNamesTheParameterAndTheAllowedOnes()
    {
        var registry = new EnvRegistry();
        var make = () => registry.Make("Pendulum-v1", new Dictionary<string, object?> { ["gravity"] = 9.81 });
        make.Should().Throw<ArgumentException>()
            .WithMessage("Unknown parameter 'gravity' for Pendulum-v1.*Allowed parameters: g, max_episode_steps.*")
            .Which.ParamName.Should().Be("gravity");

        var acrobot = () => registry.Make("Acrobot-v1", new Dictionary<string, object?> { ["g"] = 1.0 });
        acrobot.Should().Throw<ArgumentException>().WithMessage("*'g'*Allowed parameters: max_episode_steps*");
    }

    [Fact]
    public void InvalidKwargValuesNameTheParameter()
    {
        var registry = new EnvRegistry();
        var wrongType = () => registry.Make("Pendulum-v1", new Dictionary<string, object?> { ["g"] = "strong" });
        wrongType.Should().Throw<ArgumentException>().WithMessage("Parameter 'g' of Pendulum-v1 must be a number*\"strong\"*");
        var zeroSteps = () => registry.Make("CartPole-v1", new Dictionary<string, object?> { ["max_episode_steps"] = 0 });
        zeroSteps.Should().Throw<ArgumentException>().WithMessage("*'max_episode_steps'*positive*");
        var fractional = () => registry.Make("CartPole-v1", new Dictionary<string, object?> { ["max_episode_steps"] = 2.5 });
        fractional.Should().Throw<ArgumentException>().WithMessage("*'max_episode_steps'*integer*");
        var notBool = () => registry.Make("CartPole-v1", new Dictionary<string, object?> { ["sutton_barto_reward"] = 3 });
        notBool.Should().Throw<ArgumentException>().WithMessage("*'sutton_barto_reward'*boolean*");
    }

    [Fact]
    public void KwargsFromJsonWorkAndMaxEpisodeStepsOverridesTheLimit()
    {
        var kwargs = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"g": 9.81, "max_episode_steps": 3}""")!;
        var registry = new EnvRegistry();
        using var env = registry.Make("Pendulum-v1", kwargs);
        ((Pendulum)env.Unwrapped).G.Should().Be(9.81);
        env.Spec!.MaxEpisodeSteps.Should().Be(3);
        env.Spec.Kwargs.Should().ContainKey("g");
        registry.Spec("Pendulum-v1").MaxEpisodeSteps.Should().Be(200, "the registered spec is untouched");

        var obs = new float[3];
        env.Reset(obs, seed: 0);
        env.Step(new[] { 0f }, obs).Truncated.Should().BeFalse();
        env.Step(new[] { 0f }, obs).Truncated.Should().BeFalse();
        env.Step(new[] { 0f }, obs).Truncated.Should().BeTrue();
    }

    [Fact]
    public void UsersRegisterTheirOwnEnvironments()
    {
        var registry = new EnvRegistry(includeBuiltIns: false);
        registry.Ids.Should().BeEmpty();
        registry.Register("Scripted-v0", k => new ScriptedEnv([k.GetDouble("reward", 1.0)]), maxEpisodeSteps: 4,
            rewardThreshold: 3.5, parameters: ["reward"]);
        registry.Ids.Should().Equal("Scripted-v0");

        using var env = registry.Make("Scripted-v0", new Dictionary<string, object?> { ["reward"] = 0.5 });
        var obs = new float[2];
        env.Reset(obs);
        env.Step(0, obs).Reward.Should().Be(0.5);
        env.FindWrapper<TimeLimit>()!.MaxEpisodeSteps.Should().Be(4);

        var duplicate = () => registry.Register("Scripted-v0", _ => new ScriptedEnv([1.0]));
        duplicate.Should().Throw<ArgumentException>().WithMessage("*already registered*overwrite*");
        registry.Register(new EnvSpec("Scripted-v0", _ => new ScriptedEnv([2.0])), overwrite: true);
        registry.Spec("Scripted-v0").MaxEpisodeSteps.Should().BeNull();
        using var unlimited = registry.Make("Scripted-v0");
        unlimited.Should().BeOfType<ScriptedEnv>("no time limit, no TimeLimit wrapper");

        var empty = () => new EnvSpec("", _ => new ScriptedEnv([1.0]));
        empty.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void SpecSerialisesWithoutTheFactory()
    {
        var json = JsonSerializer.Serialize(new EnvRegistry().Spec("CartPole-v1"));
        json.Should().Contain("\"Id\":\"CartPole-v1\"").And.Contain("\"MaxEpisodeSteps\":500").And.NotContain("Factory");
    }
}
