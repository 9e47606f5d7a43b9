using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Tests.Dqn;

/// <summary>What the DQN agent's constructor and its ε setters refuse, and the bounds they accept.</summary>
public sealed class DqnAgentArgumentTests
{
    private static readonly Box Obs = new(-1f, 1f, 3);
    private static readonly Discrete Act = new(2);

    private static DqnAgent Agent() => new(Obs, Act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: Net.Q(Obs, Act, [4]));

    [Fact]
    public void Null_spaces_or_params_are_refused_by_name()
    {
        var p = new DqnParams { BufferSize = 100 };
        FluentActions.Invoking(() => new DqnAgent(null!, Act, p, 0)).Should().Throw<ArgumentNullException>().WithParameterName("observationSpace");
        FluentActions.Invoking(() => new DqnAgent(Obs, null!, p, 0)).Should().Throw<ArgumentNullException>().WithParameterName("actionSpace");
        FluentActions.Invoking(() => new DqnAgent(Obs, Act, null!, 0)).Should().Throw<ArgumentNullException>().WithParameterName("parameters");
    }

    [Fact]
    public void NumEnvs_below_one_is_refused_with_its_value_and_a_buffer_of_exactly_numEnvs_is_accepted()
    {
        var e = FluentActions.Invoking(() => new DqnAgent(Obs, Act, new DqnParams { BufferSize = 100 }, 0, numEnvs: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("numEnvs");
        e.ActualValue.Should().Be(0);
        e.Message.Should().StartWith("numEnvs must be ≥ 1.");

        // One row per environment fits a buffer of numEnvs transitions (DqnParams.BufferSize must be ≥ numEnvs).
        var agent = new DqnAgent(Obs, Act, new DqnParams { BufferSize = 4 }, 0, numEnvs: 4, createQNetwork: Net.Q(Obs, Act, [4]));
        agent.Buffer.Capacity.Should().Be(4);
        agent.NumEnvs.Should().Be(4);
    }

    /// <summary>A module whose output has a fixed shape whatever its input.</summary>
    private sealed class FixedShape(int[] shape) : Module
    {
        public override Tensor Forward(Tensor input) => Tensor.Zeros(shape);
    }

    [Theory]
    [InlineData(new[] { 2, 2 }, "[2, 2]")]      // one row per action, but two rows for one observation
    [InlineData(new[] { 1, 2, 1 }, "[1, 2, 1]")] // the right leading sizes, one dimension too many
    [InlineData(new[] { 1, 3 }, "[1, 3]")]      // one Q-value too many
    public void An_injected_Q_network_of_the_wrong_output_shape_is_refused_naming_both_shapes(int[] shape, string shown)
    {
        var build = () => new DqnAgent(Obs, Act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: _ => new FixedShape(shape));
        build.Should().Throw<ArgumentException>()
            .WithMessage($"The injected Q-network maps [1, 3] observations to {shown}; DQN needs [1, 2] (one Q-value per action).*")
            .Which.ParamName.Should().Be("createQNetwork");
    }

    [Fact]
    public void A_Q_network_factory_that_returns_null_is_refused_by_name() =>
        FluentActions.Invoking(() => new DqnAgent(Obs, Act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: _ => null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("createQNetwork");

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Epsilon_and_FixedEpsilon_outside_0_1_are_refused_naming_the_property_and_value(double value)
    {
        var agent = Agent();
        var e = agent.Invoking(a => a.Epsilon = value).Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("Epsilon");
        e.ActualValue.Should().Be(value);
        e.Message.Should().StartWith("Epsilon must lie in [0, 1].");

        var f = agent.Invoking(a => a.FixedEpsilon = value).Should().Throw<ArgumentOutOfRangeException>().Which;
        f.ParamName.Should().Be("FixedEpsilon");
        f.ActualValue.Should().Be(value);
        f.Message.Should().StartWith("FixedEpsilon must be null or lie in [0, 1].");
        agent.FixedEpsilon.Should().BeNull("a refused value changes nothing");
        agent.Epsilon.Should().Be(1.0, "ExplorationInitialEps, untouched");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void FixedEpsilon_accepts_the_bounds_and_sets_epsilon_at_once(double value)
    {
        var agent = Agent();
        agent.Epsilon = 0.5;
        agent.FixedEpsilon = value;
        agent.FixedEpsilon.Should().Be(value);
        agent.Epsilon.Should().Be(value);
        agent.OnEnvSteps(1, 100);
        agent.Epsilon.Should().Be(value, "the fixed ε replaces the schedule's 1 − 0.95 · 0.01 / 0.1 = 0.905 at 1 % of training");
    }

    [Fact]
    public void The_exploration_stream_of_the_seed_drives_the_coins()
    {
        // Precondition of the ε-coin tests in DqnWiringTests: the agent's exploration draws come from
        // SeedStreams.FromSeed(seed).Exploration, so a replica of that stream predicts them.
        var replica = SeedStreams.FromSeed(0).Exploration;
        var agent = Agent();
        var actions = new float[64];
        agent.Explore(new float[64 * 3], actions, new float[64], uniformRandom: true);
        for (var i = 0; i < actions.Length; i++) actions[i].Should().Be(replica.NextInt(2));
    }
}
