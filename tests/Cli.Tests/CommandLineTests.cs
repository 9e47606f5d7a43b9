using System.Text.Json;
using RlExperiments.Cli;

namespace RlExperiments.Cli.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("train --algo foo --env CartPole-v1", ExitCodes.InvalidInput, "Unknown algorithm 'foo'; allowed: dqn, ppo, sac, pg, a2c, npg, trpo, ddpg, td3")]
    [InlineData("train --algo ppo --env Nope-v9", ExitCodes.InvalidInput, "Unknown environment 'Nope-v9'; allowed: Acrobot-v1, CartPole-v0, CartPole-v1")]
    [InlineData("train --algo dqn --env CartPole-v1 --hyperparams nope=1", ExitCodes.InvalidInput, "Unknown hyperparameter 'nope' (--hyperparams) for DQN; allowed: buffer_size,")]
    [InlineData("train --algo dqn --env CartPole-v1 --hyperparams gamma=7", ExitCodes.InvalidInput, "Hyperparameter gamma = 7 (--hyperparams) is invalid")]
    [InlineData("train --algo dqn --env CartPole-v1 --hyperparams gamma", ExitCodes.InvalidInput, "--hyperparams 'gamma' is invalid; allowed: key=value")]
    [InlineData("train --algo sac --env CartPole-v1 --steps 500", ExitCodes.InvalidInput, "SAC on CartPole-v1:")]
    [InlineData("train --resume /nonexistent/run", ExitCodes.InvalidInput, "--resume '/nonexistent/run' does not exist")]
    [InlineData("tune --algo dqn --env CartPole-v1 --study s --sampler nsga2", ExitCodes.InvalidInput, "nsga2")]
    [InlineData("tune --algo dqn --env CartPole-v1 --study s --storage mysql://u:topsecret@h/db", ExitCodes.InvalidInput, "The storage URL 'mysql://u:***@h/db' is invalid")]
    [InlineData("worker --study s --storage postgresql://u:topsecret@127.0.0.1:1/db", ExitCodes.StorageUnavailable, "Could not open the study storage postgresql://u:***@127.0.0.1:1/db")]
    [InlineData("report /nonexistent/dir", ExitCodes.InvalidInput, "is not a run (no result.json), a collection (no collection.json) or a study")]
    [InlineData("frobnicate", ExitCodes.InvalidInput, "frobnicate")]
    public void Bad_input_is_one_line_naming_the_thing_and_what_is_allowed_with_its_exit_code(string line, int code, string message)
    {
        var (exit, _, err) = Rlx.Run(line.Split(' '));
        exit.Should().Be(code, err);
        err.Should().Contain(message).And.NotContain("topsecret").And.NotContain("   at ", "no stack trace");
    }

    [Theory]
    [InlineData("train")]
    [InlineData("tune")]
    [InlineData("worker")]
    [InlineData("report")]
    [InlineData("list-algos")]
    [InlineData("list-envs")]
    public void Every_command_has_help(string command)
    {
        var (exit, output, _) = Rlx.Run(command, "--help");
        exit.Should().Be(ExitCodes.Success);
        output.Should().Contain("Usage:").And.Contain(command);
        Rlx.Run("--help").Out.Should().Contain(command).And.Contain("Exit codes: 0 success; 1");
    }

    [Fact]
    public void Lists_name_every_registered_algorithm_and_environment()
    {
        var algos = Rlx.Run("list-algos").Out;
        foreach (var m in RlExperiments.Experiments.Algorithms.AlgorithmRegistry.Default.Names) algos.Should().Contain(m.ToLowerInvariant() + " ");
        algos.Should().Contain("[presets: CartPole-v1, Acrobot-v1]");
        Rlx.Run("list-envs").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(RlExperiments.Environments.EnvRegistry.Default.Ids);
    }

    /// <summary>
    /// rlx train in a child process, SIGKILLed after its second checkpoint, then rlx train --resume: the result equals an
    /// uninterrupted run's with the same seed (the resume machinery, reached from the command line); then rlx report.
    /// </summary>
    [Fact]
    public void Train_killed_mid_run_then_resume_equals_an_uninterrupted_run_and_report_writes_html()
    {
        string[] common = ["train", "--algo", "dqn", "--env", "CartPole-v1", "--seed", "3", "--steps", "6000", "--epochs", "6",
            "--hyperparams", "learning_starts=500", "--log-dir", _dir.Path];
        var (wholeExit, _, wholeErr) = Rlx.Run([.. common, "--name", "whole"]);
        wholeExit.Should().Be(ExitCodes.Success, wholeErr);

        var killedDir = _dir.Combine("killed");
        using (var child = new Rlx.Child(_dir.Path, [.. common, "--name", "killed"]))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!(Directory.Exists(Path.Combine(killedDir, "checkpoints", "2000")) && !File.Exists(Path.Combine(killedDir, "result.json"))))
            {
                child.Process.HasExited.Should().BeFalse("it should still be training when it is killed. Output:\n" + child.Output);
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(3));
                Thread.Sleep(20);
            }
            child.Process.Kill(); // SIGKILL
            child.Process.WaitForExit();
        }
        File.Exists(Path.Combine(killedDir, "result.json")).Should().BeFalse("the run was killed before it finished");

        var (exit, output, err) = Rlx.Run("train", "--resume", killedDir);
        exit.Should().Be(ExitCodes.Success, err);
        output.Should().Contain("Resuming");
        Summary(killedDir).Should().HaveCount(6, "result.json holds the returns, best epoch and step counts");
        Summary(killedDir).Should().BeEquivalentTo(Summary(_dir.Combine("whole")), "same seed, same result, killed or not");

        Rlx.Run("report", killedDir).Code.Should().Be(ExitCodes.Success);
        File.ReadAllText(Path.Combine(killedDir, "report.html")).Should().Contain("DQN on CartPole-v1");
    }

    private static Dictionary<string, string> Summary(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json")));
        string[] keys = ["bestTestReturn", "bestEpoch", "lastTestReturn", "policyTestReturn", "envSteps", "gradientSteps"];
        return doc.RootElement.GetProperty("payload").EnumerateObject().Where(p => keys.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.ToString());
    }

    /// <summary>rlx tune on the default SQLite storage, rlx worker joining it, tune again with more trials, report; a tune with other options on the same study is refused.</summary>
    [Fact]
    public void Tune_then_worker_then_report_on_a_sqlite_study()
    {
        var dir = _dir.Combine("studies", "q");
        string[] tune = ["tune", "--algo", "dqn", "--env", "CartPole-v1", "--study", "q", "--trials", "2", "--steps", "2000", "--pruner", "none", "--sampler", "cmaes", "--dir", dir];
        var first = Rlx.Run(tune);
        first.Code.Should().Be(ExitCodes.Success, first.Err);
        File.Exists(Path.Combine(dir, "study.db")).Should().BeTrue();
        File.Exists(Path.Combine(dir, "best_params.json")).Should().BeTrue();

        var worker = Rlx.Run("worker", "--study", "q", "--dir", dir);
        worker.Code.Should().Be(ExitCodes.Success, worker.Err);
        worker.Out.Should().Contain("Joining study 'q'");
        RlExperiments.Tuning.Study.Load(dir).Trials.Should().HaveCount(2, "the study had its trials: the worker ran none");

        var more = Rlx.Run([.. tune[..8], "3", .. tune[9..]]);
        more.Code.Should().Be(ExitCodes.Success, more.Err);
        RlExperiments.Tuning.Study.Load(dir).Trials.Should().HaveCount(3);

        var other = Rlx.Run([.. tune[..4], "Acrobot-v1", .. tune[5..]]);
        other.Code.Should().Be(ExitCodes.InvalidInput);
        other.Err.Should().Contain("Study 'q'").And.Contain("CartPole-v1").And.Contain("Acrobot-v1").And.Contain("only --trials may change");
        var otherSampler = Rlx.Run([.. tune[..14], "tpe", .. tune[15..]]);
        otherSampler.Code.Should().Be(ExitCodes.InvalidInput);
        otherSampler.Err.Should().Contain("cmaes", "the study's persisted sampler").And.Contain("tpe");

        File.Delete(Path.Combine(dir, "report.html"));
        Rlx.Run("report", dir).Code.Should().Be(ExitCodes.Success);
        File.Exists(Path.Combine(dir, "report.html")).Should().BeTrue();

        // best_params.json feeds rlx train.
        var train = Rlx.Run("train", "--algo", "dqn", "--env", "CartPole-v1", "--steps", "1000", "--hyperparams-file", Path.Combine(dir, "best_params.json"),
            "--hyperparams", "learning_starts=100", "--log-dir", _dir.Path, "--name", "best");
        train.Code.Should().Be(ExitCodes.Success, train.Err);
    }
}
