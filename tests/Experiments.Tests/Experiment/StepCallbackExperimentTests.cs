using Exp = RlExperiments.Experiments.Experiment;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments.Callbacks;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>Issue 18: per-step callbacks through the builders: lambdas, the named <see cref="StepCallbackEval"/>, persistence.</summary>
public class StepCallbackExperimentTests
{
    [Fact]
    public void A_lambda_step_callback_sees_every_vector_step_and_update_and_stops_the_run()
    {
        using var tmp = new TempDir();
        var steps = new List<long>();
        var updates = 0;
        using var result = Tiny.Dqn(tmp.Path, epochs: 3)
            .WithStepCallback((info, context) => { steps.Add(info.EnvSteps); return info.EnvSteps < 250; }, (_, _) => { updates++; return true; })
            .Build().WithConfig(c => c with { Watch = false }).Run();
        steps.Should().Equal(Enumerable.Range(1, 250).Select(i => (long)i));
        updates.Should().BeGreaterThan(0);
        result.TrainerResult!.EnvSteps.Should().Be(250);
        result.TrainerResult.Epochs.Should().Be(2);
        result.TrainerResult.StoppedByCallback.Should().BeTrue();
    }

    [Fact]
    public void The_eval_callback_evaluates_every_n_steps_keeps_the_best_policy_and_stops_at_the_threshold()
    {
        using var tmp = new TempDir();
        using (var full = Tiny.Dqn(tmp.Path, epochs: 2)
            .WithStepCallback(new StepCallbackEval { EvalFreq = 100, NumEvalEpisodes = 2 })
            .WithName("eval-full").Build().WithConfig(c => c with { Watch = false }).Run())
        {
            full.TrainerResult!.EnvSteps.Should().Be(400);
            File.Exists(Path.Combine(full.Directory!, StepCallbackEval.BestPolicyFileName)).Should().BeTrue();
            var rows = RlExperiments.Experiments.Collections.RunData.Read(full.Directory!, "eval-full", 0).Where(r => r.Tag == "eval/mean_return").ToArray();
            rows.Select(r => r.EnvStep).Should().Equal(100L, 200L, 300L, 400L);
            rows.Should().OnlyContain(r => r.Value >= 1);
        }

        using var stopped = Tiny.Dqn(tmp.Path, epochs: 3)
            .WithStepCallback(new StepCallbackEval { EvalFreq = 150, NumEvalEpisodes = 2, RewardThreshold = 0 })
            .WithName("eval-stop").Build().WithConfig(c => c with { Watch = false }).Run();
        stopped.TrainerResult!.EnvSteps.Should().Be(150, "every CartPole return is ≥ 0, so the first evaluation stops training");
        stopped.TrainerResult.StoppedByCallback.Should().BeTrue();
    }

    [Fact]
    public void The_eval_callback_is_saved_and_restored_and_a_lambda_one_is_refused_by_name()
    {
        using var tmp = new TempDir();
        var eval = new StepCallbackEval { EvalFreq = 500, NumEvalEpisodes = 3, RewardThreshold = 450, Deterministic = false };
        var experiment = Tiny.Dqn(tmp.Path).WithStepCallback(eval).Build();
        experiment.Save(tmp.Combine("saved"));
        Exp.FromDirectory(tmp.Combine("saved"), restorePolicy: false, services: Tiny.Services).Definition.StepCallback.Should().Be(eval);

        var lambda = Tiny.Dqn(tmp.Path).WithStepCallback((_, _) => true).Build();
        var save = () => lambda.Save(tmp.Combine("lambda"));
        save.Should().Throw<InvalidOperationException>().WithMessage("*StepCallback: lambda*");

        var bad = () => Tiny.Dqn(tmp.Path).WithStepCallback(new StepCallbackEval { EvalFreq = 0 }).Build();
        bad.Should().Throw<ArgumentException>().WithMessage("StepCallbackEval.EvalFreq = 0 is invalid*");
    }
}
