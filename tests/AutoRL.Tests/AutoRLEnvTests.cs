using System.Diagnostics;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.AutoRL;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Tuning;
using RlExperiments.Tensors;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Sac;

namespace RlExperiments.AutoRL.Tests;

public class AutoRLEnvTests
{
    /// <summary>Small and fast: DQN on CartPole (episodes capped at 100 steps), 2 envs, 1,000 steps per AutoRL step.</summary>
    private static AutoRLEnvConfig Small(int nSteps = 3) => new()
    {
        Seed = 7,
        EnvKwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 100 },
        NumEnvs = 2,
        NSteps = nSteps,
        NTotalTimesteps = 1000,
        NEvalSteps = 2,
        NEvalEpisodes = 5,
        Basis = new DQNAlgorithmFactory { Params = new DqnParams() }.WithNetArch([32, 32]),
    };

    private static Configuration Hp(double lr = 1e-3, long bufferSize = 5000, long learningStarts = 200) => new(new Dictionary<string, object>
    {
        ["learning_rate"] = lr,
        ["buffer_size"] = bufferSize,
        ["learning_starts"] = learningStarts,
        ["buffer_batch_size"] = 32L,
        ["train_freq"] = 1L,
        ["target_update_interval"] = 100L,
    });

    [Fact]
    public void EvalEps_is_the_evaluation_epsilon_of_a_non_deterministic_dqn_evaluation()
    {
        new AutoRLEnvConfig().EvalEps.Should().Be(0.05, "ARLBench's eval_eps");
        var invalid = () => (Small() with { EvalEps = 1.5 }).Validate();
        invalid.Should().Throw<ArgumentException>().WithMessage("*EvalEps = 1.5 is invalid; allowed: [0, 1]*");

        double[] EvalWith(bool deterministic, double evalEps)
        {
            using var env = new AutoRLEnv(Small(nSteps: 1) with { DeterministicEval = deterministic, EvalEps = evalEps, NTotalTimesteps = 200 });
            env.Reset();
            env.Step(Hp(learningStarts: 5000));
            return env.Eval(6).ToArray();
        }
        var greedy = EvalWith(true, 1.0);
        EvalWith(false, 0.0).Should().Equal(greedy, "ε = 0 acts greedily, whatever the agent's training ε");
        EvalWith(false, 1.0).Should().NotEqual(greedy, "ε = 1 acts uniformly at random");

        // An experiment that tests with a set ε carries it into AutoRL (and so into OptimizeHyperparams).
        using var dir = new RlExperiments.Testing.TempDir();
        var experiment = Tiny.Dqn(dir.Path).WithEpochTestCallback(new RlExperiments.Experiments.Callbacks.EpochTestCallbackDQNSetEps { Eps = 0.2 }).Build();
        var config = AutoRLEnvConfig.FromExperiment(experiment);
        config.DeterministicEval.Should().BeFalse();
        config.EvalEps.Should().Be(0.2);
        AutoRLEnvConfig.FromExperiment(Tiny.Dqn(dir.Path).Build()).DeterministicEval.Should().BeTrue();
    }

    [Fact]
    public void A_partial_configuration_is_merged_into_the_episodes_configuration_as_ARLBench_does()
    {
        // A dynamic-configuration controller that changes one key must not reset the others to the basis params.
        using var env = new AutoRLEnv(Small());
        env.Reset();
        var first = env.Step(Hp().With("gamma", 0.9).With("exploration_fraction", 0.3));
        ((DqnAgent)env.Agent!).Params.Gamma.Should().Be(0.9);

        var second = env.Step(new Configuration(new Dictionary<string, object> { ["learning_rate"] = 5e-4 }));
        var p = ((DqnAgent)env.Agent!).Params;
        p.LearningRate.Should().Be(5e-4, "the step's key is applied");
        p.Gamma.Should().Be(0.9, "a key the step lacks keeps the previous step's value, not the basis's 0.99");
        p.ExplorationFraction.Should().Be(0.3);
        p.BufferSize.Should().Be(5000);
        second.Info.Configuration["gamma"].Should().Be(0.9, "the step's info reports the merged configuration");
        second.Info.Configuration.Should().Equal(first.Info.Configuration.With("learning_rate", 5e-4));

        // A new episode starts from the basis again.
        env.Reset();
        env.Step(Hp());
        ((DqnAgent)env.Agent!).Params.Gamma.Should().Be(new DqnParams().Gamma);
    }

    [Fact]
    public void Step_before_reset_is_a_clear_error()
    {
        using var env = new AutoRLEnv(Small());
        var act = () => env.Step(Hp());
        act.Should().Throw<InvalidOperationException>().WithMessage("*Reset()*");
    }

    [Fact]
    public void Steps_count_up_truncate_after_n_steps_and_reset_starts_over()
    {
        using var env = new AutoRLEnv(Small(nSteps: 2));
        env.Reset().Should().Equal(0.0, 0.0);
        var first = env.Step(Hp());
        first.Observation.Should().Equal(1.0, first.Info.EnvSteps);
        first.Info.EnvSteps.Should().Be(1000);
        first.Truncated.Should().BeFalse();
        first.Terminated.Should().BeFalse();
        first.Info.TrainingCurve.Should().HaveCount(2);
        first.Info.TrainingCurve.Select(e => e.EnvSteps).Should().Equal(500, 1000);

        var second = env.Step(Hp());
        second.Observation[0].Should().Be(2);
        second.Info.EnvSteps.Should().Be(2000, "the second step continues the first one's training");
        second.Info.GradientSteps.Should().BeGreaterThan(first.Info.GradientSteps);
        second.Truncated.Should().BeTrue();

        var third = () => env.Step(Hp());
        third.Should().Throw<InvalidOperationException>().WithMessage("*truncated*Reset()*");

        env.Reset();
        env.CurrentStep.Should().Be(0);
        env.Episode.Should().Be(2);
        var again = env.Step(Hp());
        again.Info.EnvSteps.Should().Be(1000, "a new episode starts a fresh agent");
        again.Objectives["reward_mean"].Should().Be(first.Objectives["reward_mean"], "same seed, same result");
    }

    [Fact]
    public void Reward_std_is_the_standard_deviation_of_the_last_evaluation_not_its_mean()
    {
        using var env = new AutoRLEnv(Small() with
        {
            Objectives = [AutoRLObjective.RewardMean, AutoRLObjective.RewardStd],
            OptimizeObjectives = ObjectiveOrientation.Natural,
            NEvalEpisodes = 8,
            DeterministicEval = false,
        });
        env.Reset();
        var result = env.Step(Hp());
        var returns = result.Info.LastEvaluationReturns;
        returns.Should().HaveCount(8);
        var mean = returns.Average();
        var std = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / returns.Count);
        result.Objectives["reward_mean"].Should().BeApproximately(mean, 1e-9);
        result.Objectives["reward_std"].Should().BeApproximately(std, 1e-9);
        std.Should().BeGreaterThan(0, "the sampled episodes differ");
        result.Objectives["reward_std"].Should().NotBe(result.Objectives["reward_mean"]);
        result.Info.TrainingCurve[^1].RewardStd.Should().BeApproximately(std, 1e-9);
    }

    [Fact]
    public void Upper_orientation_negates_the_objectives_to_minimise_and_lower_negates_reward_mean()
    {
        AutoRLStepResult Run(ObjectiveOrientation o)
        {
            using var env = new AutoRLEnv(Small() with
            {
                Objectives = [AutoRLObjective.RewardMean, AutoRLObjective.RewardStd, AutoRLObjective.Runtime, AutoRLObjective.CpuTime],
                OptimizeObjectives = o,
                DeterministicEval = false,
            });
            env.Reset();
            return env.Step(Hp());
        }
        var natural = Run(ObjectiveOrientation.Natural);
        var upper = Run(ObjectiveOrientation.Upper);
        var lower = Run(ObjectiveOrientation.Lower);
        natural.Objectives.Keys.Should().Equal("reward_mean", "reward_std", "runtime", "cpu_time");
        natural.Objectives["runtime"].Should().BeGreaterThan(0);
        natural.Objectives["cpu_time"].Should().BeGreaterThan(0);
        upper.Objectives["reward_mean"].Should().Be(natural.Objectives["reward_mean"]);
        upper.Objectives["reward_std"].Should().Be(-natural.Objectives["reward_std"]);
        upper.Objectives["runtime"].Should().BeNegative();
        upper.Objectives["cpu_time"].Should().BeNegative();
        lower.Objectives["reward_mean"].Should().Be(-natural.Objectives["reward_mean"]);
        lower.Objectives["runtime"].Should().BePositive();
    }

    [Fact]
    public void A_learning_rate_change_between_steps_takes_effect_in_the_optimiser()
    {
        // Both environments train step 1 identically, then step 2 with a learning rate 10,000 times apart. The agent's
        // checkpoint carries the old learning rate inside the optimiser state (ARLBench #41): it must be replaced.
        (double Lr, double Change) SecondStep(double lr)
        {
            using var env = new AutoRLEnv(Small());
            env.Reset();
            env.Step(Hp(lr: 1e-3));
            var before = Weights((DqnAgent)env.Agent!);
            env.Step(Hp(lr: lr));
            var agent = (DqnAgent)env.Agent!;
            var after = Weights(agent);
            return (agent.Optimizer.LearningRate, Math.Sqrt(before.Zip(after, (a, b) => (double)(a - b) * (a - b)).Sum()));
        }
        var small = SecondStep(1e-6);
        var large = SecondStep(1e-2);
        small.Lr.Should().Be(1e-6);
        large.Lr.Should().Be(1e-2);
        large.Change.Should().BeGreaterThan(100 * small.Change, "Adam's steps scale with the learning rate");
    }

    [Fact]
    public void Runtime_and_cpu_time_measure_training_only_not_the_evaluations()
    {
        // No learning (learning starts after the budget), so training is cheap, while each step evaluates 400 episodes.
        using var env = new AutoRLEnv(Small() with
        {
            Objectives = [AutoRLObjective.Runtime, AutoRLObjective.CpuTime],
            OptimizeObjectives = ObjectiveOrientation.Natural,
            NEvalSteps = 1,
            NEvalEpisodes = 400,
            EnvKwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 500 },
        });
        env.Reset();
        env.Step(Hp(learningStarts: 5000)); // warm-up (JIT)
        var evalClock = Stopwatch.StartNew();
        env.Eval(400);
        var evalTime = evalClock.Elapsed.TotalSeconds;

        var stepClock = Stopwatch.StartNew();
        var result = env.Step(Hp(learningStarts: 5000));
        var stepTime = stepClock.Elapsed.TotalSeconds;
        var runtime = result.Objectives["runtime"];
        runtime.Should().BeGreaterThan(0);
        runtime.Should().BeLessThan(stepTime - 0.5 * evalTime, $"the step took {stepTime:0.000} s and an evaluation alone {evalTime:0.000} s");
        result.Objectives["cpu_time"].Should().BeLessThan(stepTime - 0.5 * evalTime);
        result.Info.Runtime.TotalSeconds.Should().Be(runtime);
    }

    [Fact]
    public void A_checkpoint_restores_everything_including_the_replay_buffer_so_continuing_from_it_equals_continuing_in_memory()
    {
        using var dir = new TempDir();
        var config = Small() with { Checkpoint = AutoRLCheckpointMode.EveryStep, CheckpointDirectory = dir.Path, CheckpointName = "run" };
        double[] weightsA;
        AutoRLStepResult secondA;
        int bufferA;
        string firstCheckpoint;
        using (var a = new AutoRLEnv(config))
        {
            a.Reset();
            a.Step(Hp());
            secondA = a.Step(Hp(lr: 5e-4));
            weightsA = Weights((DqnAgent)a.Agent!);
            bufferA = ((DqnAgent)a.Agent!).Buffer.Count;
            a.Checkpoints.Should().HaveCount(2);
            firstCheckpoint = a.Checkpoints[0];
        }
        Directory.Exists(Path.Combine(firstCheckpoint, "agent", "replay")).Should().BeTrue("the replay buffer is part of the checkpoint");
        bufferA.Should().Be(2000, "both steps' transitions are in the buffer");

        using var b = new AutoRLEnv(config with { Checkpoint = AutoRLCheckpointMode.None });
        b.Reset();
        var secondB = b.Step(Hp(lr: 5e-4), checkpointPath: firstCheckpoint);
        ((DqnAgent)b.Agent!).Buffer.Count.Should().Be(bufferA, "the first step's transitions came back from the checkpoint");
        secondB.Info.EnvSteps.Should().Be(secondA.Info.EnvSteps);
        secondB.Info.GradientSteps.Should().Be(secondA.Info.GradientSteps);
        secondB.Info.TrainingCurve.Should().Equal(secondA.Info.TrainingCurve);
        Weights((DqnAgent)b.Agent!).Should().Equal(weightsA, "networks, optimiser, buffer, random streams and environments were all restored");
    }

    [Fact]
    public void Changing_the_buffer_size_within_an_episode_names_the_hyperparameter()
    {
        using var env = new AutoRLEnv(Small());
        env.Reset();
        env.Step(Hp(bufferSize: 5000));
        var act = () => env.Step(Hp(bufferSize: 8000));
        act.Should().Throw<ArgumentException>().WithMessage("*buffer_size = 8000*5000*Reset()*");
    }

    [Fact]
    public void A_seed_on_a_continuing_step_is_refused_and_a_first_step_seed_changes_the_run()
    {
        using var env = new AutoRLEnv(Small() with { DeterministicEval = false });
        env.Reset();
        var a = env.Step(Hp(), seed: 1);
        var act = () => env.Step(Hp(), seed: 2);
        act.Should().Throw<ArgumentException>().WithMessage("*seed = 2*first step*");
        env.Reset();
        var b = env.Step(Hp(), seed: 1);
        env.Reset();
        var c = env.Step(Hp(), seed: 2);
        b.Info.LastEvaluationReturns.Should().Equal(a.Info.LastEvaluationReturns);
        c.Info.LastEvaluationReturns.Should().NotEqual(a.Info.LastEvaluationReturns);
    }

    [Fact]
    public void Invalid_configurations_and_config_fields_are_named()
    {
        using var env = new AutoRLEnv(Small());
        env.Reset();
        var unknown = () => env.Step(new Configuration(new Dictionary<string, object> { ["learnin_rate"] = 1e-3 }));
        unknown.Should().Throw<ConfigurationValidationException>().WithMessage("*'learnin_rate'*learning_rate*");
        var invalid = () => env.Step(new Configuration(new Dictionary<string, object> { ["gamma"] = 1.5 }));
        invalid.Should().Throw<ArgumentException>().WithMessage("*Gamma*1.5*");
        var beyondArlbench = env.Step(new Configuration(new Dictionary<string, object> { ["buffer_batch_size"] = 128L, ["learning_starts"] = 200L }), nTotalTimesteps: 400, nEvalSteps: 1);
        beyondArlbench.Info.GradientSteps.Should().BeGreaterThan(0, "a batch of 128 is outside ARLBench's DQN space but valid DQN params");
        var budget = () => env.Step(Hp(), nTotalTimesteps: 3);
        budget.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*nTotalTimesteps = 3*");

        var badConfig = () => new AutoRLEnv(Small() with { NumEnvs = 0 });
        badConfig.Should().Throw<ArgumentException>().WithMessage("*NumEnvs = 0*≥ 1*");
        var noDir = () => new AutoRLEnv(Small() with { Checkpoint = AutoRLCheckpointMode.EveryStep });
        noDir.Should().Throw<ArgumentException>().WithMessage("*CheckpointDirectory*");
        var wrongAlgorithm = () => new AutoRLEnv(Small() with { Algorithm = "SAC", Basis = null });
        wrongAlgorithm.Should().Throw<ArgumentException>().WithMessage("*SAC*");
    }

    [Fact]
    public void Emissions_needs_an_energy_counter_and_says_so_when_there_is_none()
    {
        var config = Small() with { Objectives = [AutoRLObjective.RewardMean, AutoRLObjective.Emissions] };
        if (EnergyCounter.TryOpen(out _) is null)
        {
            var act = () => new AutoRLEnv(config);
            act.Should().Throw<NotSupportedException>().WithMessage("*Emissions*energy counter*RewardMean, RewardStd, Runtime, CpuTime*");
        }
        else
        {
            using var env = new AutoRLEnv(config with { OptimizeObjectives = ObjectiveOrientation.Natural });
            env.Reset();
            env.Step(Hp()).Objectives["emissions"].Should().BeGreaterThan(0);
        }
    }

    [Fact]
    public void State_features_follow_the_counters_in_the_configured_order()
    {
        using var env = new AutoRLEnv(Small() with
        {
            StateFeatures = [AutoRLStateFeature.GradInfo, AutoRLStateFeature.LossInfo, AutoRLStateFeature.TdErrorInfo, AutoRLStateFeature.Entropy, AutoRLStateFeature.TestReturn],
        });
        env.ObservationNames.Should().Equal("step", "env_steps", "grad_norm_mean", "grad_norm_var", "loss_mean", "loss_var",
            "td_error_mean", "td_error_var", "entropy", "test_return");
        env.Reset().Should().HaveCount(10);
        var obs = env.Step(Hp()).Observation;
        obs.Should().HaveCount(10);
        obs.Should().OnlyContain(x => double.IsFinite(x));
        obs[2].Should().BeGreaterThan(0, "gradients were applied");
        obs[3].Should().BeGreaterThan(0, "gradient norms vary over the step");
        obs[8].Should().BeInRange(0.05, 1.0, "DQN reports its exploration ε");
        obs[9].Should().BeGreaterThan(0);
    }

    [Fact]
    public void Ppo_and_sac_train_through_the_same_interface()
    {
        using (var ppo = new AutoRLEnv(Small() with { Algorithm = "PPO", NumEnvs = 4, Basis = null }))
        {
            ppo.ConfigSpace.TryGet("clip_eps", out _).Should().BeTrue();
            ppo.Reset();
            var hp = new Configuration(new Dictionary<string, object> { ["n_steps"] = 32L, ["minibatch_size"] = 64L, ["learning_rate"] = 3e-4 });
            var r1 = ppo.Step(hp);
            var r2 = ppo.Step(hp);
            r2.Info.EnvSteps.Should().BeGreaterThan(r1.Info.EnvSteps);
            double.IsFinite(r2.Objectives["reward_mean"]).Should().BeTrue();
        }
        using var sac = new AutoRLEnv(new AutoRLEnvConfig
        {
            EnvId = "Pendulum-v1", Algorithm = "SAC", NumEnvs = 1, NSteps = 2, NTotalTimesteps = 300, NEvalSteps = 1, NEvalEpisodes = 1,
            EnvKwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 },
            Basis = new SACAlgorithmFactory().WithNetArch([16, 16]),
        });
        sac.ConfigSpace.TryGet("buffer_prio_sampling", out _).Should().BeFalse("SAC has no prioritised replay here");
        sac.Reset();
        var s = new Configuration(new Dictionary<string, object> { ["learning_starts"] = 100L, ["buffer_size"] = 1000L, ["buffer_batch_size"] = 64L });
        sac.Step(s);
        var last = sac.Step(s);
        last.Truncated.Should().BeTrue();
        last.Info.GradientSteps.Should().BeGreaterThan(0);
    }

    private static double[] Weights(DqnAgent agent) =>
        agent.Networks.Values.SelectMany(m => m.Parameters()).SelectMany(p => p.Data.ToArray()).Select(x => (double)x).ToArray();
}
