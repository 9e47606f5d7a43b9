using System.Text.Json;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The typed kwarg getters (<see cref="EnvKwargs"/>), the registry's bookkeeping and error messages, the
/// <see cref="EnvSpec"/> validation and the reusable <see cref="EnvInfo"/>: the contract a user sees when making
/// environments by id, each error naming the field, the value and what is allowed.
/// </summary>
public class KwargsAndRegistryContractTests
{
    private static EnvKwargs Kwargs(params (string Key, object? Value)[] values) =>
        new("Test-v0", values.ToDictionary(v => v.Key, v => v.Value));

    private static JsonElement Json(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    /// <summary>A value whose ToString is null, to pin the "?" placeholder in error messages.</summary>
    private sealed class NullText
    {
        public override string? ToString() => null;
    }

    [Fact]
    public void Absent_and_null_kwargs_fall_back_to_the_default()
    {
        var kwargs = Kwargs(("present_null", null));
        kwargs.GetDouble("present_null", 2.5).Should().Be(2.5);
        kwargs.GetDouble("absent", -1.5).Should().Be(-1.5);
        kwargs.GetInt("present_null", 7).Should().Be(7);
        kwargs.GetInt("absent", -3).Should().Be(-3);
        kwargs.GetBool("present_null", true).Should().BeTrue();
        kwargs.GetBool("absent", false).Should().BeFalse();
        new EnvKwargs("Test-v0", null).GetInt("x", 4).Should().Be(4, "null values mean no kwargs");
    }

    [Fact]
    public void GetInt_and_GetBool_read_clr_strings_and_json_values()
    {
        var kwargs = Kwargs(("i", 3), ("s", "-12"), ("j", Json("42")), ("d", 6.0),
            ("t", Json("true")), ("f", Json("false")), ("bs", "True"), ("b", false));
        kwargs.GetInt("i", 0).Should().Be(3);
        kwargs.GetInt("s", 0).Should().Be(-12);
        kwargs.GetInt("j", 0).Should().Be(42);
        kwargs.GetInt("d", 0).Should().Be(6, "an integral double is an integer");
        kwargs.GetBool("t", false).Should().BeTrue();
        kwargs.GetBool("f", true).Should().BeFalse();
        kwargs.GetBool("bs", false).Should().BeTrue();
        kwargs.GetBool("b", true).Should().BeFalse();
    }

    [Fact]
    public void ToInt_accepts_longs_and_integral_doubles_exactly_within_the_int_range()
    {
        EnvKwargs.ToInt(5L, "n", "Test-v0").Should().Be(5);
        EnvKwargs.ToInt((long)int.MinValue, "n", "Test-v0").Should().Be(int.MinValue);
        EnvKwargs.ToInt((long)int.MaxValue, "n", "Test-v0").Should().Be(int.MaxValue);
        EnvKwargs.ToInt(-7.0, "n", "Test-v0").Should().Be(-7);
        EnvKwargs.ToInt((double)int.MinValue, "n", "Test-v0").Should().Be(int.MinValue);
        EnvKwargs.ToInt((double)int.MaxValue, "n", "Test-v0").Should().Be(int.MaxValue);

        var aboveLong = () => EnvKwargs.ToInt((long)int.MaxValue + 1, "n", "Test-v0");
        aboveLong.Should().Throw<ArgumentException>()
            .WithMessage("Parameter 'n' of Test-v0 must be an integer; got 2147483648 (Int64).*").Which.ParamName.Should().Be("n");
        var belowLong = () => EnvKwargs.ToInt((long)int.MinValue - 1, "n", "Test-v0");
        belowLong.Should().Throw<ArgumentException>().WithMessage("*got -2147483649 (Int64).*");
        var aboveDouble = () => EnvKwargs.ToInt((double)int.MaxValue + 1, "n", "Test-v0");
        aboveDouble.Should().Throw<ArgumentException>().WithMessage("*must be an integer; got 2147483648 (Double).*");
        var belowDouble = () => EnvKwargs.ToInt((double)int.MinValue - 1, "n", "Test-v0");
        belowDouble.Should().Throw<ArgumentException>().WithMessage("*got -2147483649 (Double).*");
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named_with_its_text_and_type()
    {
        var plainObject = () => EnvKwargs.ToDouble(new object(), "g", "Pendulum-v1");
        plainObject.Should().Throw<ArgumentException>()
            .WithMessage("Parameter 'g' of Pendulum-v1 must be a number; got System.Object (Object). (Parameter 'g')");
        var noText = () => EnvKwargs.ToDouble(new NullText(), "g", "Pendulum-v1");
        noText.Should().Throw<ArgumentException>()
            .Which.Message.Should().Be("Parameter 'g' of Pendulum-v1 must be a number; got ? (NullText). (Parameter 'g')");
        var jsonString = () => Kwargs(("flag", Json("\"maybe\""))).GetBool("flag", false);
        jsonString.Should().Throw<ArgumentException>()
            .WithMessage("Parameter 'flag' of Test-v0 must be a boolean; got \"maybe\" (JsonElement). (Parameter 'flag')");
    }

    [Fact]
    public void Ids_are_listed_in_ordinal_order()
    {
        new EnvRegistry().Ids.Should().Equal(
            "Acrobot-v1", "CartPole-v0", "CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1");
        var registry = new EnvRegistry(includeBuiltIns: false);
        registry.Register("b-v0", _ => new ScriptedEnv([1.0]));
        registry.Register("B-v0", _ => new ScriptedEnv([1.0]));
        registry.Register("a-v0", _ => new ScriptedEnv([1.0]));
        registry.Ids.Should().Equal("B-v0", "a-v0", "b-v0");
        registry.Contains("a-v0").Should().BeTrue();
        registry.Contains("A-v0").Should().BeFalse("ids are case-sensitive");
        registry.Contains("Pendulum-v1").Should().BeFalse("this registry has no built-ins");
        new EnvRegistry().Contains("Pendulum-v1").Should().BeTrue();
    }

    [Fact]
    public void Unknown_id_message_lists_the_known_ids_in_order_or_none()
    {
        var registry = new EnvRegistry();
        var unknown = () => registry.Spec("Cartpole-v3");
        unknown.Should().Throw<ArgumentException>().Which.Message.Should().Be(
            "Unknown environment id 'Cartpole-v3'. Did you mean 'CartPole-v1'? Known ids: Acrobot-v1, CartPole-v0, CartPole-v1, " +
            "MountainCar-v0, MountainCarContinuous-v0, Pendulum-v1. (Parameter 'id')");

        var empty = new EnvRegistry(includeBuiltIns: false);
        var none = () => empty.Make("CartPole-v1");
        none.Should().Throw<ArgumentException>().Which.Message.Should().Be(
            "Unknown environment id 'CartPole-v1'. Known ids: (none). (Parameter 'id')", "with no candidates there is nothing to suggest");

        var nullId = () => registry.Spec(null!);
        nullId.Should().Throw<ArgumentNullException>().WithParameterName("id");
    }

    [Fact]
    public void Unknown_kwarg_message_is_exact_and_suggests_the_closest_parameter()
    {
        var make = () => new EnvRegistry().Make("Pendulum-v1", new Dictionary<string, object?> { ["gravity"] = 9.81 });
        make.Should().Throw<ArgumentException>().Which.Message.Should().Be(
            "Unknown parameter 'gravity' for Pendulum-v1. Did you mean 'g'? Allowed parameters: g, max_episode_steps. (Parameter 'gravity')");
        var steps = () => new EnvRegistry().Make("Acrobot-v1", new Dictionary<string, object?> { ["max_steps"] = 9 });
        steps.Should().Throw<ArgumentException>().Which.Message.Should().StartWith(
            "Unknown parameter 'max_steps' for Acrobot-v1. Did you mean 'max_episode_steps'? Allowed parameters: max_episode_steps.");
    }

    [Fact]
    public void A_null_max_episode_steps_kwarg_keeps_the_spec_limit()
    {
        using var env = new EnvRegistry().Make("CartPole-v1", new Dictionary<string, object?> { ["max_episode_steps"] = null });
        env.Should().BeOfType<TimeLimit>().Which.MaxEpisodeSteps.Should().Be(500);
        env.Spec!.MaxEpisodeSteps.Should().Be(500);
    }

    [Fact]
    public void Register_rejects_null_and_a_max_episode_steps_parameter()
    {
        var registry = new EnvRegistry(includeBuiltIns: false);
        var nullSpec = () => registry.Register((EnvSpec)null!);
        nullSpec.Should().Throw<ArgumentNullException>().WithParameterName("spec");
        var reserved = () => registry.Register("Mine-v0", _ => new ScriptedEnv([1.0]), parameters: ["speed", "max_episode_steps"]);
        reserved.Should().Throw<ArgumentException>().Which.Message.Should().Be(
            "'max_episode_steps' is handled by the registry and cannot be a factory parameter. (Parameter 'spec')");
        registry.Contains("Mine-v0").Should().BeFalse();
    }

    [Fact]
    public void A_factory_returning_null_is_reported_with_the_id()
    {
        var registry = new EnvRegistry(includeBuiltIns: false);
        registry.Register("Broken-v0", _ => null!);
        var make = () => registry.Make("Broken-v0");
        make.Should().Throw<InvalidOperationException>().WithMessage("The factory registered for Broken-v0 returned null.");
    }

    [Fact]
    public void MakeVec_validates_its_count_and_mode_and_applies_wrap_to_every_copy()
    {
        var registry = new EnvRegistry();
        var zero = () => registry.MakeVec("CartPole-v1", 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("numEnvs").WithMessage("numEnvs must be at least 1.*");
        var mode = () => registry.MakeVec("CartPole-v1", 1, (VectorMode)7);
        mode.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode").WithMessage("mode must be Sequential or Parallel.*");

        using var wrapped = registry.MakeVec("CartPole-v1", 2, wrap: e => new RecordEpisodeStatistics(e));
        wrapped.Envs.Should().OnlyContain(e => e is RecordEpisodeStatistics);
        using var plain = registry.MakeVec("CartPole-v1", 2);
        plain.Envs.Should().OnlyContain(e => e is TimeLimit, "without wrap the registry's TimeLimit is outermost");
    }

    [Fact]
    public void Sutton_barto_reward_and_goal_velocity_kwargs_reach_the_environments()
    {
        var registry = new EnvRegistry();
        foreach (var id in new[] { "CartPole-v0", "CartPole-v1" })
        {
            using var env = registry.Make(id, new Dictionary<string, object?> { ["sutton_barto_reward"] = true });
            ((CartPole)env.Unwrapped).SuttonBartoReward.Should().BeTrue(id);
            var obs = new float[4];
            env.Reset(obs, seed: 0);
            env.Step(0, obs).Reward.Should().Be(0.0, "Sutton and Barto's reward is 0 for a non-terminal step");
        }
        using (var car = registry.Make("MountainCar-v0", new Dictionary<string, object?> { ["goal_velocity"] = 0.02 }))
            ((MountainCar)car.Unwrapped).GoalVelocity.Should().Be(0.02);
        using (var continuous = registry.Make("MountainCarContinuous-v0", new Dictionary<string, object?> { ["goal_velocity"] = 0.03 }))
            ((MountainCarContinuous)continuous.Unwrapped).GoalVelocity.Should().Be(0.03);
    }

    [Fact]
    public void EnvSpec_rejects_an_empty_id_and_a_non_positive_limit()
    {
        var empty = () => new EnvSpec(" ", _ => new ScriptedEnv([1.0]));
        empty.Should().Throw<ArgumentException>().WithMessage("An environment id must not be empty.*").Which.ParamName.Should().Be("Id");
        var zero = () => new EnvSpec("X-v0", _ => new ScriptedEnv([1.0])) { MaxEpisodeSteps = 0 };
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxEpisodeSteps")
            .WithMessage("max_episode_steps must be positive (or null for no limit).*");
        var negative = () => new EnvSpec("X-v0", _ => new ScriptedEnv([1.0])) { MaxEpisodeSteps = -5 };
        negative.Should().Throw<ArgumentOutOfRangeException>();
        new EnvSpec("X-v0", _ => new ScriptedEnv([1.0])) { MaxEpisodeSteps = 1 }.MaxEpisodeSteps.Should().Be(1);
        new EnvSpec("X-v0", _ => new ScriptedEnv([1.0])) { MaxEpisodeSteps = null }.MaxEpisodeSteps.Should().BeNull();
    }

    /// <summary>
    /// "Did you mean" picks the parameter at the smallest case-insensitive Levenshtein distance; ties go to the
    /// longer common prefix, then to the later name in ordinal order, whatever order the parameters were
    /// registered in. Distances worked by hand: d(abc, abd) = 1 and d(abc, abcxyzw) = 4; d(abc, abx) =
    /// d(abc, zbc) = 1 with prefixes 2 and 0; d(ab, xy) = 2 and d(ab, abcdefg) = 5; d(abc, ab) = d(abc, abcd) = 1
    /// with prefixes 2 and 3; d(v1, v2) = 1 and d(v1, Walker-v1) = 7 (a matching suffix is no shortcut).
    /// </summary>
    [Theory]
    [InlineData("abc", new[] { "abd", "abcxyzw" }, "abd")]
    [InlineData("abc", new[] { "abx", "zbc" }, "abx")]
    [InlineData("abc", new[] { "zbc", "abx" }, "abx")]
    [InlineData("abc", new[] { "abe", "abd" }, "abe")]
    [InlineData("abc", new[] { "abd", "abe" }, "abe")]
    [InlineData("ab", new[] { "xy", "abcdefg" }, "xy")]
    [InlineData("abc", new[] { "ab", "abcd" }, "abcd")]
    [InlineData("ABC", new[] { "abcd", "ab" }, "abcd")]
    [InlineData("v1", new[] { "Walker-v1", "v2" }, "v2")]
    public void The_suggested_parameter_is_the_closest_by_edit_distance_then_prefix_then_ordinal(string typo, string[] parameters, string expected)
    {
        var registry = new EnvRegistry(includeBuiltIns: false);
        registry.Register("Tiny-v0", _ => new ScriptedEnv([1.0]), parameters: parameters);
        var make = () => registry.Make("Tiny-v0", new Dictionary<string, object?> { [typo] = 1.0 });
        make.Should().Throw<ArgumentException>().Which.Message.Should().Contain($"Did you mean '{expected}'?");
    }

    [Fact]
    public void An_id_that_is_a_prefix_of_known_ids_suggests_the_latest_version()
    {
        var spec = () => new EnvRegistry().Spec("CartPole");
        spec.Should().Throw<ArgumentException>().WithMessage("Unknown environment id 'CartPole'. Did you mean 'CartPole-v1'?*");
    }

    [Fact]
    public void EnvInfo_extra_entries_are_set_read_copied_and_cleared()
    {
        var info = new EnvInfo();
        info.IsEmpty.Should().BeTrue();
        info.Extra.Should().BeEmpty();
        info.TryGetValue("a", out var missing).Should().BeFalse();
        missing.Should().BeNull();

        info.Set("a", 1);
        info.Set("b", "two");
        info.IsEmpty.Should().BeFalse();
        info.Extra.Should().HaveCount(2).And.Contain("a", 1).And.Contain("b", "two");
        info.TryGetValue("b", out var b).Should().BeTrue();
        b.Should().Be("two");
        info.TryGetValue("c", out _).Should().BeFalse();
        info.ToDictionary().Should().BeEquivalentTo(new Dictionary<string, object?> { ["a"] = 1, ["b"] = "two" });

        info.Clear();
        info.IsEmpty.Should().BeTrue();
        info.Extra.Should().BeEmpty();
        info.TryGetValue("a", out _).Should().BeFalse();
        info.ToDictionary().Should().BeEmpty();

        var nullKey = () => info.Set(null!, 1);
        nullKey.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void EnvInfo_episode_statistics_make_it_non_empty_and_can_be_set_once_per_step()
    {
        var info = new EnvInfo();
        info.SetEpisode(new EpisodeStatistics(3.5, 7, 0.25));
        info.IsEmpty.Should().BeFalse("an episode ended here");
        info.Extra.Should().BeEmpty();
        var twice = () => info.SetEpisode(new EpisodeStatistics(1, 1, 0));
        twice.Should().Throw<InvalidOperationException>()
            .WithMessage("info already holds episode statistics: RecordEpisodeStatistics is applied more than once.");
        info.Episode.Should().Be(new EpisodeStatistics(3.5, 7, 0.25));
        info.Clear();
        info.HasEpisode.Should().BeFalse();
        info.IsEmpty.Should().BeTrue();
        info.SetEpisode(new EpisodeStatistics(1, 2, 0));
        info.Episode.Length.Should().Be(2, "after Clear the next step may record again");
    }
}
