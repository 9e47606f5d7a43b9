using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The vector envs' argument checks and bookkeeping beyond the happy path: multi-element continuous action rows,
/// flags cleared by Reset and by reading a checkpoint, a failed Reset leaving the vector env unsteppable, the
/// parallel env's thread count, spin bounds, error propagation from every partition, named background workers
/// and their allocation counter.
/// </summary>
public class VectorEnvContractTests
{
    public static TheoryData<VectorMode> Modes => new() { VectorMode.Sequential, VectorMode.Parallel };

    private static VectorEnv Create(VectorMode mode, IReadOnlyList<Env> envs) =>
        mode == VectorMode.Sequential ? new SequentialVectorEnv(envs) : new ParallelVectorEnv(envs);

    /// <summary>Records the thread each Step runs on.</summary>
    private sealed class ThreadRecordingEnv : Env
    {
        private readonly EnvInfo _info = new();
        public override Space ObservationSpace { get; } = new Box(-1f, 1f, 1);
        public override Space ActionSpace { get; } = new Discrete(2);
        public override EnvInfo Info => _info;
        public string? ThreadName { get; private set; }
        public bool IsBackground { get; private set; }
        public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null) => _info;

        public override StepResult Step(int action, Span<float> observation)
        {
            ThreadName = Thread.CurrentThread.Name;
            IsBackground = Thread.CurrentThread.IsBackground;
            return new StepResult(0, false, false);
        }

        public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => throw new NotSupportedException();
    }

    [Fact]
    public void Constructors_reject_null_and_environments_with_a_different_action_space()
    {
        var nullList = () => new SequentialVectorEnv((IReadOnlyList<Env>)null!);
        nullList.Should().Throw<ArgumentNullException>().WithParameterName("envs");
        var mixed = () => new SequentialVectorEnv([new ScriptedEnv([0.0]), new ScriptedEnv([0.0], actionSpace: new Discrete(3))]);
        mixed.Should().Throw<ArgumentException>().WithParameterName("envs").WithMessage(
            "envs[1] has spaces Box(-1000.0, 1000.0, (2,), float32) / Discrete(3), unlike envs[0]'s Box(-1000.0, 1000.0, (2,), float32) / Discrete(2).*");

        var nullFactory = () => new SequentialVectorEnv((Func<int, Env>)null!, 2);
        nullFactory.Should().Throw<ArgumentNullException>().WithParameterName("factory");
        var zero = () => new SequentialVectorEnv(_ => new ScriptedEnv([0.0]), 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("numEnvs").WithMessage("numEnvs must be at least 1.*");
        var parallelZero = () => new ParallelVectorEnv(_ => new ScriptedEnv([0.0]), 0);
        parallelZero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("numEnvs");
    }

    [Fact]
    public void The_factory_constructor_builds_environment_i_with_factory_of_i()
    {
        using var one = new SequentialVectorEnv(i => new ScriptedEnv([10.0 + i]), 1);
        one.NumEnvs.Should().Be(1);
        using var vec = new SequentialVectorEnv(i => new ScriptedEnv([10.0 + i]), 3);
        vec.Reset();
        vec.Step(new[] { 0, 0, 0 });
        vec.Rewards.Should().Equal(10f, 11f, 12f);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Each_environment_receives_its_own_row_of_a_multi_element_continuous_action(VectorMode mode)
    {
        var envs = Enumerable.Range(0, 3).Select(_ => new ScriptedEnv([0.0], actionSpace: new Box(-10f, 10f, 2))).ToArray();
        using var vec = Create(mode, envs);
        vec.ActionSize.Should().Be(2);
        vec.Reset();
        vec.Step(new[] { 1f, 2f, 3f, 4f, 5f, 6f });
        envs[0].ReceivedActions.Single().Should().Equal(1f, 2f);
        envs[1].ReceivedActions.Single().Should().Equal(3f, 4f);
        envs[2].ReceivedActions.Single().Should().Equal(5f, 6f);
        var tooFew = () => vec.Step(new[] { 1f, 2f, 3f });
        tooFew.Should().Throw<ArgumentException>().WithMessage("Expected 3 x 2 = 6 floats; got 3.*");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Reset_clears_the_flags_of_the_previous_step(VectorMode mode)
    {
        var envs = Enumerable.Range(0, 2).Select(_ => (Env)new TimeLimit(new ScriptedEnv([1.0], terminateAfter: 1), 1)).ToArray();
        using var vec = Create(mode, envs);
        vec.Reset();
        vec.Step(new[] { 0, 1 });
        vec.Terminated.Should().Equal(true, true);
        vec.Truncated.Should().Equal(true, true);
        vec.Dones.Should().Equal(true, true);
        vec.Reset();
        vec.Terminated.Should().Equal(false, false);
        vec.Truncated.Should().Equal(false, false);
        vec.Dones.Should().Equal(false, false);
        vec.Rewards.Should().Equal(0f, 0f);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Misuse_messages_come_from_the_vector_env_itself(VectorMode mode)
    {
        using var discrete = new EnvRegistry().MakeVec("CartPole-v1", 2, mode);
        var early = () => discrete.Step(new[] { 0, 1 });
        early.Should().Throw<InvalidOperationException>().WithMessage("Call Reset on the vector env before the first Step.");
        var earlyFloat = () => discrete.Step(new[] { 0f, 1f });
        earlyFloat.Should().Throw<InvalidOperationException>().WithMessage("Call Reset on the vector env before the first Step.");
        discrete.Reset(seed: 0);
        var floats = () => discrete.Step(new[] { 0f, 1f });
        floats.Should().Throw<InvalidOperationException>()
            .WithMessage("The action space is Discrete(2): call Step(ReadOnlySpan<int>) with one int per environment.");

        var writer = () => discrete.WriteCheckpointState(null!);
        writer.Should().Throw<ArgumentNullException>().WithParameterName("writer");
        var reader = () => discrete.ReadCheckpointState(null!);
        reader.Should().Throw<ArgumentNullException>().WithParameterName("reader");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_failed_Reset_leaves_the_vector_env_unsteppable_until_a_Reset_succeeds(VectorMode mode)
    {
        using var vec = new EnvRegistry().MakeVec("CartPole-v1", 2, mode);
        vec.Reset(seed: 0);
        vec.Step(new[] { 0, 1 });
        var badReset = () => vec.Reset(options: new Dictionary<string, object?> { ["lo"] = 0.0 });
        badReset.Should().Throw<ArgumentException>().WithMessage("Unknown reset option 'lo'*");
        var step = () => vec.Step(new[] { 0, 1 });
        step.Should().Throw<InvalidOperationException>().WithMessage("Call Reset on the vector env before the first Step.");
        vec.Reset(seed: 0);
        vec.Step(new[] { 0, 1 });
        vec.Rewards.Should().Equal(1f, 1f);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Reading_a_checkpoint_clears_the_step_flags(VectorMode mode)
    {
        using var vec = new EnvRegistry().MakeVec("CartPole-v1", 2, mode, new Dictionary<string, object?> { ["max_episode_steps"] = 1 });
        vec.Reset(seed: 0);
        ((ClassicControl.CartPole)vec.Envs[0].Unwrapped).State = [2.39, 1.0, 0.0, 0.0]; // x = 2.39 + 0.02 * 1 > 2.4 after the step
        vec.Step(new[] { 1, 1 });
        vec.Terminated.Should().Equal(true, false);
        vec.Truncated.Should().Equal(true, true);
        using var stream = new MemoryStream();
        vec.WriteCheckpointState(new BinaryWriter(stream));
        stream.Position = 0;
        vec.ReadCheckpointState(new BinaryReader(stream));
        vec.Dones.Should().Equal(false, false);
        vec.Truncated.Should().Equal(false, false);
        vec.Terminated.Should().Equal(false, false);
    }

    [Fact]
    public void Parallel_thread_count_defaults_to_one_per_core_at_most_one_per_environment()
    {
        var n = Environment.ProcessorCount + 1;
        using var more = new ParallelVectorEnv(Enumerable.Range(0, n).Select(_ => (Env)new ScriptedEnv([0.0])).ToArray());
        more.Threads.Should().Be(Environment.ProcessorCount);
        using var fewer = new ParallelVectorEnv([new ScriptedEnv([0.0])]);
        fewer.Threads.Should().Be(1);
        using var capped = new ParallelVectorEnv([new ScriptedEnv([0.0]), new ScriptedEnv([0.0])], threads: 5);
        capped.Threads.Should().Be(2);
    }

    [Fact]
    public void Parallel_validates_threads_and_spin_count_naming_the_allowed_range()
    {
        Env[] Envs() => [new ScriptedEnv([0.0]), new ScriptedEnv([0.0])];
        var zero = () => new ParallelVectorEnv(Envs(), threads: 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threads").WithMessage("threads must be at least 1.*");
        foreach (var spin in new[] { -1, 10_001 })
        {
            var bad = () => new ParallelVectorEnv(Envs(), spinCount: spin);
            bad.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("spinCount").WithMessage("spinCount must be in [0, 10000].*");
        }
        foreach (var spin in new[] { 0, 10_000 })
        {
            using var ok = new ParallelVectorEnv(Envs(), threads: 2, spinCount: spin);
            ok.Reset();
            ok.Step(new[] { 0, 1 });
            ok.Rewards.Should().Equal(0f, 0f);
        }
    }

    [Fact]
    public void Parallel_with_one_thread_runs_everything_on_the_caller()
    {
        using var vec = new ParallelVectorEnv([new ScriptedEnv([1.0]), new ScriptedEnv([2.0])], threads: 1);
        vec.Threads.Should().Be(1);
        vec.Reset();
        vec.Step(new[] { 0, 1 });
        vec.Rewards.Should().Equal(1f, 2f);
        vec.WorkerAllocatedBytes.Should().Be(0, "there are no background workers");
    }

    /// <summary>
    /// Every partition's error reaches the caller, the calling thread's own partition included; when several
    /// environments fail in one step, the error of the lowest slot is rethrown, so the report is deterministic.
    /// </summary>
    [Fact]
    public void Parallel_rethrows_the_error_of_the_lowest_failing_slot()
    {
        using var vec = new ParallelVectorEnv(Enumerable.Range(0, 3).Select(_ => new EnvRegistry().Make("CartPole-v1")).ToArray(), threads: 3);
        vec.Reset(seed: 0);
        var callerFails = () => vec.Step(new[] { 4, 1, 0 });
        callerFails.Should().Throw<ArgumentOutOfRangeException>().Which.ActualValue.Should().Be(4);
        vec.Reset(seed: 0);
        var callerAndWorkerFail = () => vec.Step(new[] { 4, 1, 6 });
        callerAndWorkerFail.Should().Throw<ArgumentOutOfRangeException>().Which.ActualValue.Should().Be(4);
        vec.Reset(seed: 0);
        var twoWorkersFail = () => vec.Step(new[] { 0, 5, 7 });
        twoWorkersFail.Should().Throw<ArgumentOutOfRangeException>().Which.ActualValue.Should().Be(5);
        vec.Reset(seed: 0);
        vec.Step(new[] { 0, 1, 0 });
        vec.Rewards.Should().Equal([1f, 1f, 1f], "errors do not linger into the next step");
    }

    [Fact]
    public void Parallel_workers_are_named_background_threads_and_count_their_allocations()
    {
        var envs = Enumerable.Range(0, 3).Select(_ => new ThreadRecordingEnv()).ToArray();
        using (var vec = new ParallelVectorEnv(envs, threads: 3))
        {
            vec.Reset();
            vec.Step(new[] { 0, 0, 0 });
        }
        envs[0].ThreadName.Should().Be(Thread.CurrentThread.Name, "the caller runs the first partition");
        envs[1].ThreadName.Should().Be("ParallelVectorEnv[1..2)");
        envs[2].ThreadName.Should().Be("ParallelVectorEnv[2..3)");
        envs[1].IsBackground.Should().BeTrue("workers must not keep the process alive");
        envs[2].IsBackground.Should().BeTrue();

        // ScriptedEnv copies every continuous action into a new array: the worker allocates.
        using var allocating = new ParallelVectorEnv(
            Enumerable.Range(0, 2).Select(_ => new ScriptedEnv([0.0], actionSpace: new Box(-1f, 1f, 1))).ToArray(), threads: 2);
        allocating.Reset();
        for (var t = 0; t < 10; t++)
            allocating.Step(new[] { 0.5f, -0.5f });
        allocating.WorkerAllocatedBytes.Should().BePositive();
    }
}
