using RlExperiments.Core;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The shared machinery of <see cref="ClassicControlEnv"/> as a user environment sees it: order enforcement
/// (also for a one-float observation), buffer and argument checks whose messages name the environment, the
/// value and what is allowed, the info cleared on Reset and Step, reset options, checkpoints, and the
/// observation spaces of Gymnasium's tasks.
/// </summary>
public class ClassicControlContractTests
{
    /// <summary>
    /// A user environment on the base class with a one-float observation: x moves by +-0.5 per step and the
    /// episode terminates once |x| exceeds 1.
    /// </summary>
    private sealed class Line1D() : ClassicControlEnv(new Box(-2f, 2f, 1), new Discrete(2))
    {
        private double _x;

        public override int StateSize => 1;

        protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options) => _x = 0;

        protected override void WriteObservation(Span<float> observation) => observation[0] = (float)_x;

        protected override void GetState(Span<double> destination) => destination[0] = _x;

        protected override void SetState(ReadOnlySpan<double> source) => _x = source[0];

        protected override StepResult StepCore(int action, Span<float> observation)
        {
            _x += action == 1 ? 0.5 : -0.5;
            WriteObservation(observation);
            return new StepResult(1.0, Math.Abs(_x) > 1, false);
        }
    }

    [Fact]
    public void A_one_float_environment_still_refuses_to_step_before_Reset_and_after_termination()
    {
        var env = new Line1D();
        var obs = new float[1];
        env.IsRunning.Should().BeFalse();
        var early = () => env.Step(1, obs);
        early.Should().Throw<InvalidOperationException>().WithMessage("Line1D: call Reset before the first Step.");

        env.Reset(obs);
        env.IsRunning.Should().BeTrue();
        env.Step(1, obs).Terminated.Should().BeFalse();
        env.Step(1, obs).Terminated.Should().BeFalse();
        env.Step(1, obs).Terminated.Should().BeTrue();
        obs[0].Should().Be(1.5f);
        env.IsRunning.Should().BeFalse();
        var late = () => env.Step(1, obs);
        late.Should().Throw<InvalidOperationException>()
            .WithMessage("Line1D: the episode has terminated; call Reset before calling Step again.");
    }

    [Fact]
    public void Messages_name_the_registry_id_when_the_environment_was_made_by_id()
    {
        using var made = new EnvRegistry().Make("CartPole-v1");
        var cart = made.Unwrapped;
        var obs = new float[4];
        var early = () => cart.Step(0, obs);
        early.Should().Throw<InvalidOperationException>().WithMessage("CartPole-v1: call Reset before the first Step.");
        cart.Reset(obs, seed: 0);
        var invalid = () => cart.Step(2, obs);
        invalid.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("action")
            .WithMessage("CartPole-v1 action must be in Discrete(2) (0..1).*");

        var car = new MountainCar();
        car.Reset(new float[2], seed: 0);
        var carInvalid = () => car.Step(3, new float[2]);
        carInvalid.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MountainCar action must be in Discrete(3) (0..2).*");
    }

    [Fact]
    public void Buffer_seed_and_action_length_errors_name_the_value_and_what_is_allowed()
    {
        var cart = new CartPole();
        var longBuffer = () => cart.Reset(new float[5]);
        longBuffer.Should().Throw<ArgumentException>().WithParameterName("observation")
            .WithMessage("The observation buffer has 5 floats; CartPole observations have 4.*");
        cart.IsRunning.Should().BeFalse("a rejected Reset starts nothing");
        var seed = () => cart.Reset(new float[4], seed: -3);
        seed.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("seed").WithMessage("seed must be non-negative (as in Gymnasium).*");

        var pendulum = new Pendulum();
        var obs = new float[3];
        pendulum.Reset(obs, seed: 0);
        var wrongStepBuffer = () => pendulum.Step(new[] { 0f }, new float[4]);
        wrongStepBuffer.Should().Throw<ArgumentException>().WithMessage("The observation buffer has 4 floats; Pendulum observations have 3.*");
        var twoActions = () => pendulum.Step(new[] { 0f, 1f }, obs);
        twoActions.Should().Throw<ArgumentException>().WithParameterName("action")
            .WithMessage("Pendulum actions have 1 element(s) (Box(-2.0, 2.0, (1,), float32)); got 2.*");
        var nullState = () => pendulum.State = null!;
        nullState.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Reset_and_Step_clear_what_wrappers_recorded_in_the_info()
    {
        using var env = new RecordEpisodeStatistics(new CartPole());
        var obs = new float[4];
        env.Reset(obs, seed: 1);
        while (!env.Step(1, obs).Terminated) { }
        env.Info.HasEpisode.Should().BeTrue();
        env.Reset(obs).IsEmpty.Should().BeTrue("Reset starts with an empty info");

        env.Info.Set("note", 1);
        env.Step(0, obs);
        env.Info.IsEmpty.Should().BeTrue("Step starts with an empty info");
    }

    [Fact]
    public void Reset_options_accept_equal_bounds_and_reject_bad_ones_naming_the_environment()
    {
        var cart = new CartPole();
        var obs = new float[4];
        cart.Reset(obs, seed: 0, options: new Dictionary<string, object?> { ["low"] = 0.03, ["high"] = 0.03 });
        obs.Should().Equal(0.03f, 0.03f, 0.03f, 0.03f);

        using var made = new EnvRegistry().Make("CartPole-v1");
        var unknown = () => made.Reset(obs, options: new Dictionary<string, object?> { ["lo"] = 0.0 });
        unknown.Should().Throw<ArgumentException>().WithMessage("Unknown reset option 'lo' for CartPole-v1. Allowed options: low, high.*");
        var nullLow = () => made.Reset(obs, options: new Dictionary<string, object?> { ["low"] = null });
        nullLow.Should().Throw<ArgumentException>().WithParameterName("options")
            .WithMessage("CartPole-v1 reset option 'low' must be a number; got null.*");
        var text = () => made.Reset(obs, options: new Dictionary<string, object?> { ["high"] = "up" });
        text.Should().Throw<ArgumentException>()
            .WithMessage("Parameter 'high' of CartPole-v1 reset options must be a number; got \"up\" (String).*");
    }

    [Fact]
    public void A_checkpoint_of_another_state_size_is_rejected_naming_both_sizes()
    {
        var cart = new CartPole();
        cart.Reset(new float[4], seed: 0);
        using var stream = new MemoryStream();
        cart.WriteCheckpointState(new BinaryWriter(stream));
        stream.Position = 0;
        var pendulum = new Pendulum();
        var read = () => pendulum.ReadCheckpointState(new BinaryReader(stream));
        read.Should().Throw<InvalidDataException>().WithMessage("Pendulum checkpoint state has 4 variables; expected 2.");
    }

    /// <summary>
    /// A checkpoint of an environment that never drew a random number carries no generator, so reading it
    /// discards the target's seeded generator rather than continuing it.
    /// </summary>
    [Fact]
    public void Reading_a_checkpoint_without_a_generator_discards_the_targets_generator()
    {
        var source = new CartPole { State = [0.0, 0.0, 0.0, 0.0] }; // running, never seeded
        using var stream = new MemoryStream();
        source.WriteCheckpointState(new BinaryWriter(stream));
        stream.Position = 0;

        var target = new CartPole();
        target.Reset(new float[4], seed: 7);
        var seeded = target.Rng.GetState();
        target.ReadCheckpointState(new BinaryReader(stream));
        target.State.Should().Equal(0.0, 0.0, 0.0, 0.0);
        target.IsRunning.Should().BeTrue();
        target.Rng.GetState().Should().NotBe(seeded, "a fresh entropy-seeded generator replaces the seeded one");
    }

    [Fact]
    public void Observation_spaces_have_Gymnasium_bounds()
    {
        new Acrobot().ObservationSpace.Should().Be(new Box(
            [-1f, -1f, -1f, -1f, (float)(-4 * Math.PI), (float)(-9 * Math.PI)],
            [1f, 1f, 1f, 1f, (float)(4 * Math.PI), (float)(9 * Math.PI)]));
        new MountainCar().ObservationSpace.Should().Be(new Box([-1.2f, -0.07f], [0.6f, 0.07f]));
    }
}
