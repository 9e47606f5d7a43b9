using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Tensors;

namespace RlExperiments.Agents.Tests.Ppo;

public class PpoTrainerTests
{
    private static readonly PpoParams Small = new() { NumSteps = 16, BatchSize = 32, UpdateEpochs = 2, LearningRate = 1e-3 };

    [Fact]
    public void Same_seed_gives_identical_runs_and_another_seed_does_not()
    {
        (List<double> Tests, float[] Weights, double Best) Train(int seed)
        {
            var tests = new List<double>();
            var callbacks = new TrainerCallbacks { OnEpochEnd = info => tests.Add(info.TestReturnMean) };
            // Stochastic test episodes on 2 envs exercise the evaluation stream and the test-env seeding too.
            using var run = PpoTestSupport.Create("CartPole-v1", 4, Small with { NormalizeObservations = true },
                new TrainerConfig(3, 512, NumTestEpisodes: 4, DeterministicEval: false), seed, callbacks, numTestEnvs: 2);
            var result = run.Trainer.Run();
            var weights = run.Agent.Network.Parameters().SelectMany(p => p.ToArray()).ToArray();
            return (tests, weights, result.BestTestReturn);
        }

        var a = Train(3);
        var b = Train(3);
        var c = Train(4);
        a.Tests.Should().HaveCount(3).And.Equal(b.Tests);
        a.Weights.Should().Equal(b.Weights);
        a.Best.Should().Be(b.Best);
        a.Weights.Should().NotEqual(c.Weights);
    }

    [Fact]
    public void Truncated_episodes_are_bootstrapped_from_the_critic_value_of_the_true_final_observation()
    {
        var recorders = new List<TruncationRecorder>();
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 5 };
        using var run = PpoTestSupport.Create("CartPole-v1", 2, Small, new TrainerConfig(1, 32, 0), seed: 1, kwargs: kwargs,
            wrap: e => { var r = new TruncationRecorder(e); recorders.Add(r); return r; });
        run.Trainer.CollectRollout();
        var buffer = run.Trainer.Buffer;

        var truncations = 0;
        for (var env = 0; env < 2; env++)
        for (var t = 0; t < 16; t++)
        {
            var row = t * 2 + env;
            if (recorders[env].FinalObservations.TryGetValue(t + 1, out var finalObs))
            {
                truncations++;
                buffer.Truncated[row].Should().BeTrue();
                var v = new float[1];
                run.Agent.PredictValues(finalObs, v);
                buffer.TruncationValues[row].Should().Be(v[0], "V(final obs), not V(first obs of the next episode)");
                buffer.TruncationValues[row].Should().NotBe(0f);
            }
            else buffer.TruncationValues[row].Should().Be(0f);
        }
        truncations.Should().BeGreaterThan(2);
    }

    [Fact]
    public void Epochs_tests_callbacks_and_metrics_follow_the_trainer_contract()
    {
        var events = new List<string>();
        var sink = new RecordingSink();
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = (epoch, steps) => events.Add($"train {epoch} {steps}"),
            OnEpochTest = (epoch, steps) => events.Add($"test {epoch} {steps}"),
            ShouldStop = info => { events.Add($"stop? {info.Epoch}"); return info.Epoch == 2; },
            OnEpochEnd = info => events.Add($"end {info.Epoch} {info.EnvSteps} {info.GradientSteps}"),
        };
        // 2 envs × 16 steps = 32 per rollout; epoch e ends at the first rollout boundary ≥ 100·e steps: 128, then 224.
        using var run = PpoTestSupport.Create("CartPole-v1", 2, Small, new TrainerConfig(5, 100, NumTestEpisodes: 2, TestAtStart: true), seed: 2, callbacks, sink);
        var result = run.Trainer.Run();

        events.Should().Equal(
            "test 0 0",
            "train 1 0", "test 1 128", "stop? 1", "end 1 128 8",
            "train 2 128", "test 2 224", "stop? 2", "end 2 224 14");
        result.Epochs.Should().Be(2);
        result.StoppedByCallback.Should().BeTrue();
        result.EnvSteps.Should().Be(224);
        result.GradientSteps.Should().Be(14, "1 minibatch × 2 epochs per rollout, 7 rollouts");
        sink.Flushes.Should().Be(3, "after each epoch's test and once at the end");
        run.Trainer.TestTime.Should().BePositive();

        var tags = sink.Rows.Select(r => r.Tag).ToHashSet();
        tags.Should().Contain(["train/policy_loss", "train/value_loss", "train/entropy", "train/approx_kl", "train/clip_fraction",
            "train/grad_norm", "train/learning_rate", "train/clip_range", "train/explained_variance", "train/episode_return",
            "train/episode_length", "train/steps_per_second", "test/return_mean", "test/return_std", "test/length_mean"]);
        sink.Rows.Count(r => r.Tag == "train/policy_loss").Should().Be(7);
        sink.Rows.Count(r => r.Tag == "test/return_mean").Should().Be(3);
        sink.Rows.Where(r => r.Tag == "train/learning_rate").Should().OnlyContain(r => r.Value == 1e-3);
        sink.Rows.Where(r => r.Tag == "train/entropy").Should().OnlyContain(r => r.Value > 0 && r.Value <= Math.Log(2) + 1e-6);
    }

    [Fact]
    public void Linear_schedules_anneal_learning_rate_and_clip_range_with_progress_remaining()
    {
        var sink = new RecordingSink();
        var p = Small with { AnnealLearningRate = true, AnnealClipRange = true, ClipRange = 0.2 };
        using var run = PpoTestSupport.Create("CartPole-v1", 2, p, new TrainerConfig(1, 128, 0), seed: 2, metrics: sink);
        run.Trainer.Run();
        // Updates after 32, 64, 96, 128 of 128 steps: progress_remaining 0.75, 0.5, 0.25, 0.
        sink.Rows.Where(r => r.Tag == "train/learning_rate").Select(r => r.Value).Should()
            .Equal([7.5e-4, 5e-4, 2.5e-4, 0.0], (x, e) => Math.Abs(x - e) < 1e-12);
        sink.Rows.Where(r => r.Tag == "train/clip_range").Select(r => r.Value).Should()
            .Equal([0.15, 0.1, 0.05, 0.0], (x, e) => Math.Abs(x - e) < 1e-6);
    }

    [Fact]
    public void Each_update_writes_the_agents_metrics_then_explained_variance_in_a_fixed_order()
    {
        // progress.csv's columns are first-seen order, so the order is part of the output format.
        var sink = new RecordingSink();
        using var run = PpoTestSupport.Create("CartPole-v1", 2, Small, new TrainerConfig(1, 64, 0), seed: 3, metrics: sink);
        run.Trainer.Run();
        string[] perUpdate = ["train/policy_loss", "train/value_loss", "train/entropy", "train/approx_kl", "train/clip_fraction",
            "train/grad_norm", "train/learning_rate", "train/clip_range", "train/explained_variance"];
        var updateRows = sink.Rows.Where(r => perUpdate.Contains(r.Tag)).ToList();
        updateRows.Select(r => r.Tag).Should().Equal(perUpdate.Concat(perUpdate));
        updateRows.Take(9).Should().OnlyContain(r => r.Step == 32);
        var last = run.Agent.LastUpdate;
        updateRows.Skip(9).Take(8).Select(r => r.Value).Should().Equal(
            last.PolicyLoss, last.ValueLoss, last.Entropy, last.ApproxKl, last.ClipFraction, last.GradNorm, last.LearningRate, last.ClipRange);
        run.Trainer.LastUpdate.Should().Be(new OnPolicyUpdateStats(last.Loss, last.GradNorm, last.GradientSteps));
    }

    [Fact]
    public void First_minibatch_of_an_update_sees_ratio_one()
    {
        // One epoch, one minibatch: the policy is unchanged when the loss is evaluated, so r = 1 exactly up to
        // float rounding: approx KL ≈ 0, no clipping, L^CLIP = −mean(Â) ≈ 0, and L^V = mean((R − V)²) of the buffer.
        var p = Small with { UpdateEpochs = 1, BatchSize = 32 };
        using var run = PpoTestSupport.Create("CartPole-v1", 2, p, new TrainerConfig(1, 32, 0), seed: 5);
        run.Trainer.CollectRollout();
        var buffer = run.Trainer.Buffer;
        var expectedValueLoss = buffer.Returns.Zip(buffer.Values, (r, v) => (double)(r - v) * (r - v)).Average();
        var shared = run.Agent.Update(buffer, new OnPolicyUpdateContext(32, 32));
        var stats = run.Agent.LastUpdate;
        (shared.Loss, shared.GradNorm, shared.GradientSteps).Should().Be((stats.Loss, stats.GradNorm, stats.GradientSteps));
        stats.ApproxKl.Should().BeLessThan(1e-10);
        stats.ClipFraction.Should().Be(0);
        stats.PolicyLoss.Should().BeApproximately(0, 1e-6);
        stats.ValueLoss.Should().BeApproximately(expectedValueLoss, 1e-4 * Math.Max(1, expectedValueLoss));
        stats.Entropy.Should().BeApproximately(Math.Log(2), 1e-3, "the policy head starts near uniform (gain 0.01)");
        (stats.Epochs, stats.GradientSteps, stats.StoppedEarly).Should().Be((1, 1, false));
    }

    [Fact]
    public void Entropy_and_value_coefficients_weight_their_terms()
    {
        // Same seed and rollout; only the coefficients differ. No joint clipping (huge max norm), so with separate
        // networks the critic's update depends only on c_vf and the actor's only on L^CLIP and c_ent.
        var p = Small with { UpdateEpochs = 1, BatchSize = 32, MaxGradNorm = 1e9 };
        (PpoAgent Agent, PpoUpdateStats Stats) UpdateWith(double entCoef, double vfCoef)
        {
            var run = PpoTestSupport.Create("CartPole-v1", 2, p with { EntCoef = entCoef, VfCoef = vfCoef }, new TrainerConfig(1, 32, 0), seed: 8);
            run.Trainer.CollectRollout();
            run.Agent.Update(run.Trainer.Buffer, new OnPolicyUpdateContext(32, 32));
            run.Dispose();
            return (run.Agent, run.Agent.LastUpdate);
        }
        float[] Part(PpoAgent a, string prefix) => a.Network.NamedParameters().Where(n => n.Name.StartsWith(prefix)).SelectMany(n => n.Parameter.ToArray()).ToArray();

        var plain = UpdateWith(0, 0.5);
        var withEntropy = UpdateWith(0.5, 0.5);
        var noValue = UpdateWith(0, 0);
        withEntropy.Stats.Entropy.Should().BeApproximately(plain.Stats.Entropy, 1e-6, "the graph-free entropy (c_ent = 0) equals the graph one");
        Part(withEntropy.Agent, "actor").Should().NotEqual(Part(plain.Agent, "actor"));
        Part(withEntropy.Agent, "critic").Should().Equal(Part(plain.Agent, "critic"));
        Part(noValue.Agent, "actor").Should().Equal(Part(plain.Agent, "actor"));
        var initial = PpoTestSupport.Create("CartPole-v1", 2, p, new TrainerConfig(1, 32, 0), seed: 8);
        Part(noValue.Agent, "critic").Should().Equal(Part(initial.Agent, "critic"), "with c_vf = 0 the critic gets no gradient");
        Part(plain.Agent, "critic").Should().NotEqual(Part(initial.Agent, "critic"));
        initial.Dispose();
    }

    [Fact]
    public void Target_kl_stops_the_update_epochs_early()
    {
        // Capacity 64, batch 16: 4 minibatches per epoch, 10 epochs.
        var p = Small with { NumSteps = 32, BatchSize = 16, UpdateEpochs = 10, LearningRate = 3e-3 };
        using var free = PpoTestSupport.Create("CartPole-v1", 2, p, new TrainerConfig(1, 64, 0), seed: 6);
        free.Trainer.CollectRollout();
        free.Agent.Update(free.Trainer.Buffer, new OnPolicyUpdateContext(64, 64));
        var full = free.Agent.LastUpdate;
        (full.Epochs, full.GradientSteps, full.StoppedEarly).Should().Be((10, 40, false));
        full.ApproxKl.Should().BeGreaterThan(1e-6);

        // The first minibatch has KL ≈ 0 and steps; the second sees KL > 1.5 · 1e-7 and stops before stepping.
        using var limited = PpoTestSupport.Create("CartPole-v1", 2, p with { TargetKl = 1e-7 }, new TrainerConfig(1, 64, 0), seed: 6);
        limited.Trainer.CollectRollout();
        var shared = limited.Agent.Update(limited.Trainer.Buffer, new OnPolicyUpdateContext(64, 64));
        shared.GradientSteps.Should().Be(1);
        var stopped = limited.Agent.LastUpdate;
        (stopped.Epochs, stopped.GradientSteps, stopped.StoppedEarly).Should().Be((1, 1, true));
        stopped.ApproxKl.Should().BeGreaterThan(1.5e-7);
        limited.Agent.GradientSteps.Should().Be(1);
    }

    [Fact]
    public void A_nan_loss_stops_training_with_the_step()
    {
        using var run = PpoTestSupport.Create("CartPole-v1", 2, Small, new TrainerConfig(2, 64, 0), seed: 7, wrap: e => new NanRewardWrapper(e));
        var train = () => run.Trainer.Run();
        var error = train.Should().Throw<NonFiniteException>().Which;
        error.Quantity.Should().Be("train/loss");
        error.EnvStep.Should().Be(32, "the first update follows the first rollout of 2 × 16 steps");
        error.GradientStep.Should().Be(0);
        error.Message.Should().Contain("env step 32");
    }

    [Fact]
    public void Acting_is_deterministic_greedy_and_respects_action_bounds()
    {
        using var pendulum = EnvRegistry.Default.Make("Pendulum-v1");
        var agent = new PpoAgent(pendulum.ObservationSpace, pendulum.ActionSpace, new PpoParams { LogStdInit = 2 }, 9);
        var obs = new float[3 * 100];
        new Core.Rng(1).FillNormal(obs);
        var actions = new float[100];
        agent.Act(obs, actions, deterministic: false);
        actions.Should().OnlyContain(a => a >= -2f && a <= 2f);
        actions.Should().Contain(a => a == 2f || a == -2f, "σ = e² samples well beyond the bounds, which are clipped");
        var greedy1 = new float[100];
        var greedy2 = new float[100];
        agent.Act(obs, greedy1, deterministic: true);
        agent.Act(obs, greedy2, deterministic: true);
        greedy1.Should().Equal(greedy2);
    }

    [Fact]
    public void Shared_network_has_one_trunk_and_two_heads()
    {
        var (obs, act) = (new Environments.Spaces.Box(-1f, 1f, 4), new Environments.Spaces.Box(-1f, 1f, 2));
        var shared = new PpoAgent(obs, act, new PpoParams(), 0, Net.ActorCritic(obs, act, [64, 64], share: true));
        shared.Network.NamedParameters().Select(p => p.Name).Should().Equal(
            "log_std", "trunk.0.weight", "trunk.0.bias", "trunk.2.weight", "trunk.2.bias",
            "action_head.weight", "action_head.bias", "value_head.weight", "value_head.bias");
        var separate = new PpoAgent(new Environments.Spaces.Box(-1f, 1f, 4), new Environments.Spaces.Discrete(2), new PpoParams(), 0);
        separate.Network.NamedParameters().Select(p => p.Name).Should().Equal(
            "actor.0.weight", "actor.0.bias", "actor.2.weight", "actor.2.bias", "actor.4.weight", "actor.4.bias",
            "critic.0.weight", "critic.0.bias", "critic.2.weight", "critic.2.bias", "critic.4.weight", "critic.4.bias");
        // Orthogonal init: W·Wᵀ = gain²·I for the policy head (gain 0.01, rows 2 ≤ cols 64), zero biases.
        var head = separate.Network.StateDict()["actor.4.weight"];
        using (Tensor.NoGrad())
        {
            var gram = head.Matmul(head, transposeOther: true);
            gram[0, 0].Should().BeApproximately(1e-4f, 1e-8f);
            gram[0, 1].Should().BeApproximately(0f, 1e-8f);
        }
        separate.Network.StateDict()["actor.4.bias"].ToArray().Should().OnlyContain(b => b == 0f);
    }

    [Fact]
    public void RejectsMissingSharedOrMismatchedTestEnvironments()
    {
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var agent = new PpoAgent(train.SingleObservationSpace, train.SingleActionSpace, new PpoParams { NumSteps = 8, BatchSize = 8 }, 0);
        using var pendulum = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
        var cfg = new TrainerConfig(1, 8, NumTestEpisodes: 2);
        FluentActions.Invoking(() => new OnPolicyTrainer(agent, train, null, cfg, TestEnvSeeds.For(0, train, null))).Should().Throw<ArgumentException>().WithMessage("*no test environments*");
        FluentActions.Invoking(() => new OnPolicyTrainer(agent, train, train, cfg, TestEnvSeeds.For(0, train, train))).Should().Throw<ArgumentException>().WithMessage("*separate*");
        FluentActions.Invoking(() => new OnPolicyTrainer(agent, train, pendulum, cfg, TestEnvSeeds.For(0, train, pendulum))).Should().Throw<ArgumentException>().WithMessage("*testEnvs has Box*");
    }
}
