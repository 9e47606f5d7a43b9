using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The wrappers' argument validation (each error naming the argument, the value and what is allowed), their
/// checkpoint round trips, Gymnasium's RescaleAction with half-infinite bounds, and the episode queues of
/// RecordEpisodeStatistics once they wrap around.
/// </summary>
public class WrapperContractTests
{
    /// <summary>Episode e lasts <c>lengths[e]</c> steps with reward 1 per step, so its return equals its length.</summary>
    private sealed class EpisodeLengthsEnv(int[] lengths, Space? observationSpace = null) : Env
    {
        private readonly EnvInfo _info = new();
        private int _episode = -1;
        private int _t;

        public override Space ObservationSpace { get; } = observationSpace ?? new Box(-1f, 1f, 1);
        public override Space ActionSpace { get; } = new Discrete(2);
        public override EnvInfo Info => _info;

        public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
        {
            _episode++;
            _t = 0;
            _info.Clear();
            return _info;
        }

        public override StepResult Step(int action, Span<float> observation)
        {
            _info.Clear();
            _t++;
            return new StepResult(1.0, _t >= lengths[_episode], false);
        }

        public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => throw new NotSupportedException();
    }

    [Fact]
    public void NormalizeReward_accepts_gamma_in_the_closed_unit_interval_and_a_zero_epsilon()
    {
        new NormalizeReward(new ScriptedEnv([1.0]), gamma: 0).Gamma.Should().Be(0);
        new NormalizeReward(new ScriptedEnv([1.0]), gamma: 1).Gamma.Should().Be(1);
        new NormalizeReward(new ScriptedEnv([1.0]), epsilon: 0).Epsilon.Should().Be(0);
        foreach (var gamma in new[] { -0.01, 1.01, double.NaN })
        {
            var bad = () => new NormalizeReward(new ScriptedEnv([1.0]), gamma: gamma);
            bad.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gamma").WithMessage("gamma must be in [0, 1].*", $"gamma {gamma}");
        }
        var epsilon = () => new NormalizeReward(new ScriptedEnv([1.0]), epsilon: -1e-9);
        epsilon.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon").WithMessage("epsilon must be non-negative.*");
    }

    [Fact]
    public void NormalizeObservation_accepts_a_zero_epsilon_and_rejects_a_negative_one()
    {
        new NormalizeObservation(new CartPole(), epsilon: 0).Epsilon.Should().Be(0);
        var discrete = () => new NormalizeObservation(new EpisodeLengthsEnv([1], new Discrete(5)));
        discrete.Should().Throw<ArgumentException>().WithParameterName("env")
            .WithMessage("NormalizeObservation needs a Box observation space; got Discrete(5).*");
        var negative = () => new NormalizeObservation(new CartPole(), epsilon: -1);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon").WithMessage("epsilon must be non-negative.*");
    }

    [Fact]
    public void RunningMeanStd_rejects_a_non_positive_size_or_epsilon_naming_it()
    {
        var size = () => new RunningMeanStd(0);
        size.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size").WithMessage("size must be positive.*");
        var epsilon = () => new RunningMeanStd(1, epsilon: 0);
        epsilon.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon").WithMessage("epsilon must be positive.*");
    }

    /// <summary>
    /// A checkpoint taken mid-run and read into a freshly built stack continues exactly like the original: same
    /// observations, same normalised rewards, same running statistics and episode counters.
    /// </summary>
    [Fact]
    public void NormalizeReward_and_RecordEpisodeStatistics_checkpoints_continue_the_run_exactly()
    {
        static (NormalizeReward Norm, RecordEpisodeStatistics Stats) Build()
        {
            var stats = new RecordEpisodeStatistics(new CartPole());
            return (new NormalizeReward(stats, gamma: 0.9), stats);
        }

        var (original, originalStats) = Build();
        var obs = new float[4];
        original.Reset(obs, seed: 5);
        for (var t = 0; t < 40; t++)
        {
            if (original.Step(t % 3 == 0 ? 0 : 1, obs).Done)
                original.Reset(obs);
        }
        originalStats.EpisodeCount.Should().BeGreaterThan(0, "the run must cover a finished episode");
        originalStats.EpisodeLength.Should().BeGreaterThan(0, "and be mid-episode");

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            original.WriteCheckpointState(writer);
        stream.Position = 0;
        var (restored, restoredStats) = Build();
        using (var reader = new BinaryReader(stream))
            restored.ReadCheckpointState(reader);

        restored.DiscountedReward.Should().Be(original.DiscountedReward);
        restored.ReturnRms.GetState().Should().BeEquivalentTo(original.ReturnRms.GetState());
        restoredStats.EpisodeReturn.Should().Be(originalStats.EpisodeReturn);
        restoredStats.EpisodeLength.Should().Be(originalStats.EpisodeLength);
        restoredStats.EpisodeCount.Should().Be(originalStats.EpisodeCount);

        var restoredObs = new float[4];
        for (var t = 0; t < 30; t++)
        {
            var action = t % 2;
            var a = original.Step(action, obs);
            var b = restored.Step(action, restoredObs);
            restoredObs.Should().Equal(obs, $"step {t}");
            b.Should().Be(a, $"step {t}");
            if (a.Done)
            {
                restoredStats.Info.Episode.Length.Should().Be(originalStats.Info.Episode.Length);
                original.Reset(obs, seed: t);
                restored.Reset(restoredObs, seed: t);
            }
        }
    }

    [Fact]
    public void RecordEpisodeStatistics_queues_keep_the_last_episodes_oldest_first_after_wrapping_around()
    {
        int[] lengths = [1, 2, 3, 4, 5, 6, 7];
        using var env = new RecordEpisodeStatistics(new EpisodeLengthsEnv(lengths), bufferLength: 3);
        var obs = new float[1];
        foreach (var length in lengths)
        {
            env.Reset(obs);
            for (var t = 0; t < length; t++)
                env.Step(0, obs);
        }
        env.EpisodeCount.Should().Be(7);
        env.LengthQueue.Should().Equal(5, 6, 7);
        env.ReturnQueue.Should().Equal(5.0, 6.0, 7.0);
        env.TimeQueue.Should().HaveCount(3).And.OnlyContain(t => t >= 0);
        env.LengthQueue[0].Should().Be(5);
        env.LengthQueue[2].Should().Be(7);
        var past = () => env.LengthQueue[3];
        past.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("index").WithMessage("index must be in [0, 3).*");
        var negative = () => env.ReturnQueue[-1];
        negative.Should().Throw<ArgumentOutOfRangeException>();

        using var fresh = new RecordEpisodeStatistics(new EpisodeLengthsEnv(lengths), bufferLength: 3);
        fresh.Reset(obs);
        fresh.Step(0, obs);
        fresh.TimeQueue.Should().HaveCount(1);
        var beyondCount = () => fresh.ReturnQueue[1];
        beyondCount.Should().Throw<ArgumentOutOfRangeException>("only one episode has finished, though the buffer holds three");

        var zero = () => new RecordEpisodeStatistics(new ScriptedEnv([1.0]), bufferLength: 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("buffer_length must be positive.*");
    }

    [Fact]
    public void RescaleAction_validates_its_arguments_naming_what_is_wrong()
    {
        var discrete = () => new RescaleAction(new ScriptedEnv([0.0]), -1f, 1f);
        discrete.Should().Throw<ArgumentException>().WithParameterName("env")
            .WithMessage("RescaleAction needs a Box action space; got Discrete(2).*");
        var nullEnv = () => new RescaleAction(null!, -1f, 1f);
        nullEnv.Should().Throw<ArgumentNullException>().WithParameterName("env");

        var box = new Box([0f, -2f], [10f, 2f]);
        var nullMin = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: box), null!, [1f, 1f]);
        nullMin.Should().Throw<ArgumentNullException>().WithParameterName("minAction");
        var nullMax = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: box), [1f, 1f], null!);
        nullMax.Should().Throw<ArgumentNullException>().WithParameterName("maxAction");
        var shortMin = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: box), [-1f], [1f, 1f]);
        shortMin.Should().Throw<ArgumentException>().WithParameterName("minAction")
            .WithMessage("minAction and maxAction need 2 element(s) each, like Box([0.0 -2.0], [10.0 2.0], (2,), float32).*");
        var shortMax = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: box), [-1f, -1f], [1f]);
        shortMax.Should().Throw<ArgumentException>().WithMessage("minAction and maxAction need 2 element(s) each*");

        var equal = new RescaleAction(new ScriptedEnv([0.0], actionSpace: box), 0.5f, 0.5f);
        equal.ActionSpace.Should().Be(new Box(0.5f, 0.5f, 2), "Gymnasium only requires min <= max");
    }

    [Fact]
    public void RescaleAction_rejects_infinite_bounds_that_do_not_match_the_wrapped_box()
    {
        var unbounded = new Box(float.NegativeInfinity, float.PositiveInfinity, 1);
        var minPlusInf = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: unbounded), [float.PositiveInfinity], [float.PositiveInfinity]);
        minPlusInf.Should().Throw<ArgumentException>().WithParameterName("minAction")
            .WithMessage("minAction[0] = * must be infinite exactly where the action space's low[0] = * is.*");
        var maxMinusInf = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: unbounded), [float.NegativeInfinity], [float.NegativeInfinity]);
        maxMinusInf.Should().Throw<ArgumentException>().WithParameterName("maxAction")
            .WithMessage("maxAction[0] = * must be infinite exactly where the action space's high[0] = * is.*");
        var bounded = new Box(0f, 2f, 1);
        var maxInfinite = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: bounded), [0f], [float.PositiveInfinity]);
        maxInfinite.Should().Throw<ArgumentException>().WithParameterName("maxAction").WithMessage("maxAction[0] = *high[0] = 2*");
        var maxFinite = () => new RescaleAction(new ScriptedEnv([0.0], actionSpace: new Box([0f], [float.PositiveInfinity])), [0f], [5f]);
        maxFinite.Should().Throw<ArgumentException>().WithParameterName("maxAction");
    }

    /// <summary>
    /// Gymnasium's transform where a bound is infinite: gradient 1 and, with only the upper bound finite,
    /// intercept = max_action - high; with only the lower bound finite, intercept = -low + min_action; with
    /// none, the identity. The wrapped environment receives (a - intercept) / gradient.
    /// </summary>
    [Fact]
    public void RescaleAction_with_half_infinite_bounds_shifts_like_Gymnasium()
    {
        var upperInner = new ScriptedEnv([0.0], actionSpace: new Box([float.NegativeInfinity], [2f]));
        using var upper = new RescaleAction(upperInner, [float.NegativeInfinity], [5f]);
        var lowerInner = new ScriptedEnv([0.0], actionSpace: new Box([-1f], [float.PositiveInfinity]));
        using var lower = new RescaleAction(lowerInner, [3f], [float.PositiveInfinity]);
        var freeInner = new ScriptedEnv([0.0], actionSpace: new Box(float.NegativeInfinity, float.PositiveInfinity, 1));
        using var free = new RescaleAction(freeInner, float.NegativeInfinity, float.PositiveInfinity);
        var obs = new float[2];
        foreach (var env in new Env[] { upper, lower, free })
        {
            env.Reset(obs);
            env.Step(new[] { 5f }, obs);
            env.Step(new[] { 0f }, obs);
        }
        upperInner.ReceivedActions.Select(a => a[0]).Should().Equal(2f, -3f); // intercept 5 - 2 = 3
        lowerInner.ReceivedActions.Select(a => a[0]).Should().Equal(1f, -4f); // intercept 1 + 3 = 4
        freeInner.ReceivedActions.Select(a => a[0]).Should().Equal(5f, 0f);

        var wrongLength = () => upper.Step(new[] { 1f, 2f }, obs);
        wrongLength.Should().Throw<ArgumentException>().WithParameterName("action").WithMessage("Actions have 1 element(s); got 2.*");
    }

    [Fact]
    public void ClipAction_rejects_an_action_of_the_wrong_length()
    {
        using var env = new ClipAction(new ScriptedEnv([0.0], actionSpace: new Box(-1f, 1f, 2)));
        var obs = new float[2];
        env.Reset(obs);
        var wrong = () => env.Step(new[] { 0f }, obs);
        wrong.Should().Throw<ArgumentException>().WithParameterName("action").WithMessage("Actions have 2 element(s); got 1.*");
    }

    [Fact]
    public void TimeLimit_messages_name_the_environment_by_spec_id_or_type()
    {
        using var bare = new TimeLimit(new ScriptedEnv([1.0], actionSpace: new Box(-1f, 1f, 1)), 1);
        var obs = new float[2];
        var early = () => bare.Step(new[] { 0f }, obs);
        early.Should().Throw<InvalidOperationException>().WithMessage("ScriptedEnv: call Reset before the first Step.");
        bare.Reset(obs);
        bare.Step(new[] { 0f }, obs).Truncated.Should().BeTrue();
        var late = () => bare.Step(new[] { 0f }, obs);
        late.Should().Throw<InvalidOperationException>()
            .WithMessage("ScriptedEnv: the episode was truncated by TimeLimit after 1 steps; call Reset before calling Step again.");

        using var made = new EnvRegistry().Make("CartPole-v1", new Dictionary<string, object?> { ["max_episode_steps"] = 1 });
        var cartObs = new float[4];
        var madeEarly = () => made.Step(0, cartObs);
        madeEarly.Should().Throw<InvalidOperationException>().WithMessage("CartPole-v1: call Reset before the first Step.");
        made.Reset(cartObs, seed: 0);
        made.Step(0, cartObs);
        var madeLate = () => made.Step(0, cartObs);
        madeLate.Should().Throw<InvalidOperationException>().WithMessage("CartPole-v1: the episode was truncated by TimeLimit after 1 steps*");
    }

    [Fact]
    public void Environments_without_checkpoint_support_say_so_by_type()
    {
        using var env = new ScriptedEnv([1.0]);
        var write = () => env.WriteCheckpointState(new BinaryWriter(new MemoryStream()));
        write.Should().Throw<NotSupportedException>()
            .WithMessage("ScriptedEnv does not support checkpoint state; override WriteCheckpointState/ReadCheckpointState to resume runs with it.");
        var read = () => env.ReadCheckpointState(new BinaryReader(new MemoryStream()));
        read.Should().Throw<NotSupportedException>().WithMessage("ScriptedEnv does not support checkpoint state*");
    }

    [Fact]
    public void ToString_follows_Gymnasium_repr_with_and_without_a_spec()
    {
        new ScriptedEnv([1.0]).ToString().Should().Be("<ScriptedEnv instance>");
        using var made = new EnvRegistry().Make("CartPole-v1");
        made.Unwrapped.ToString().Should().Be("<CartPole<CartPole-v1>>");
        made.ToString().Should().Be("<TimeLimit<CartPole<CartPole-v1>>>");
    }
}
