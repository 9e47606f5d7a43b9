using System.Diagnostics;
using RlExperiments.Core;

namespace RlExperiments.Core.Tests;

/// <summary>Process liveness is exact or says nothing: a live process is never taken for a dead one.</summary>
public sealed class ProcessIdentityTests
{
    [Fact]
    public void A_live_process_is_alive_every_time_a_missing_pid_is_gone_another_machine_is_unknown()
    {
        for (var i = 0; i < 200; i++)
            ProcessIdentity.Check(Environment.MachineName, Environment.ProcessId, ProcessIdentity.Current)
                .Should().NotBe(ProcessLiveness.Gone, "this process runs");
        if (OperatingSystem.IsLinux())
            ProcessIdentity.Check(Environment.MachineName, Environment.ProcessId, ProcessIdentity.Current).Should().Be(ProcessLiveness.Alive);
        ProcessIdentity.Check(Environment.MachineName, int.MaxValue - 7, ProcessIdentity.Current).Should().Be(ProcessLiveness.Gone);
        ProcessIdentity.Check("another-" + Environment.MachineName, int.MaxValue - 7, ProcessIdentity.Current).Should().Be(ProcessLiveness.Unknown);
    }

    [Fact]
    public void A_child_process_is_alive_while_it_runs_and_gone_after_it_exited()
    {
        if (!OperatingSystem.IsLinux()) return; // the exact identity is Linux's; elsewhere only a missing pid is certain
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var identity = File.ReadAllText($"/proc/{child.Id}/stat").Split(") ")[1].Split(' ')[19];
        var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        var recorded = $"linux:{boot}:{identity}";
        for (var i = 0; i < 50; i++)
            ProcessIdentity.Check(Environment.MachineName, child.Id, recorded).Should().Be(ProcessLiveness.Alive);
        ProcessIdentity.Check(Environment.MachineName, child.Id, $"linux:{boot}:{ulong.Parse(identity) + 1}")
            .Should().Be(ProcessLiveness.Gone, "the same pid with another start time is a later process: the recorded one is gone");
        child.Kill();
        child.WaitForExit();
        ProcessIdentity.Check(Environment.MachineName, child.Id, recorded).Should().Be(ProcessLiveness.Gone);
    }

    [Fact]
    public void Pid_zero_or_below_is_unknown_and_missing_arguments_are_refused()
    {
        ProcessIdentity.Check(Environment.MachineName, 0, ProcessIdentity.Current).Should().Be(ProcessLiveness.Unknown);
        ProcessIdentity.Check(Environment.MachineName, -5, ProcessIdentity.Current).Should().Be(ProcessLiveness.Unknown);
        FluentActions.Invoking(() => ProcessIdentity.Check(null!, 1, "pid")).Should().Throw<ArgumentNullException>().WithParameterName("machine");
        FluentActions.Invoking(() => ProcessIdentity.Check(Environment.MachineName, 1, null!)).Should().Throw<ArgumentNullException>().WithParameterName("identity");
    }

    [Fact]
    public void Without_an_exact_identity_only_a_missing_pid_counts_as_gone()
    {
        ProcessIdentity.Check(Environment.MachineName, Environment.ProcessId, "pid").Should().Be(ProcessLiveness.Unknown,
            "a pid alone may have been reused, so a running process with that pid proves nothing");
        ProcessIdentity.Check(Environment.MachineName, int.MaxValue - 7, "pid").Should().Be(ProcessLiveness.Gone);
        if (OperatingSystem.IsLinux())
            ProcessIdentity.Current.Should().StartWith("linux:").And.EndWith(":" + File.ReadAllText($"/proc/{Environment.ProcessId}/stat").Split(") ")[1].Split(' ')[19]);
    }
}
