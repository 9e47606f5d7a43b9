using RlExperiments.Agents.Buffers;
using RlExperiments.Core;

namespace RlExperiments.Agents.Tests.Buffers;

public sealed class PrioritizedReplayBufferTests
{
    private static PrioritizedReplayBuffer WithTransitions(int n, double alpha = 0.6, double beta0 = 0.4, int capacity = 100)
    {
        var buffer = new PrioritizedReplayBuffer(capacity, 1, 1, alpha: alpha, beta0: beta0, epsilon: 1e-6);
        for (var i = 0; i < n; i++) buffer.Add([i], [0], [i], [i], [false], [false]);
        return buffer;
    }

    [Fact]
    public void NewTransitionsGetTheMaximumPriorityAndUpdatesUseAbsoluteTdErrorPlusEpsilonToTheAlpha()
    {
        var buffer = WithTransitions(3, alpha: 0.5);
        buffer.MaxPriority.Should().Be(1);
        buffer.PriorityAt(0).Should().Be(1);
        buffer.UpdatePriorities([0, 2], [-3f, 0.5f]);
        buffer.PriorityAt(0).Should().BeApproximately(Math.Pow(3 + 1e-6, 0.5), 1e-12);
        buffer.PriorityAt(2).Should().BeApproximately(Math.Pow(0.5 + 1e-6, 0.5), 1e-12);
        buffer.MaxPriority.Should().BeApproximately(3 + 1e-6, 1e-12);
        buffer.Add([3], [0], [0], [0], [false], [false]);
        buffer.PriorityAt(3).Should().BeApproximately(Math.Pow(3 + 1e-6, 0.5), 1e-12, "new transitions get the largest priority seen");
        buffer.TotalPriority.Should().BeApproximately(2 * Math.Pow(3 + 1e-6, 0.5) + 1 + Math.Pow(0.5 + 1e-6, 0.5), 1e-9);
        buffer.Invoking(b => b.UpdatePriorities([0], [float.NaN])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void SamplingIsProportionalToPriority()
    {
        var buffer = WithTransitions(4, alpha: 1);
        buffer.UpdatePriorities([0, 1, 2, 3], [1f, 2f, 3f, 4f]);
        var batch = buffer.CreateBatch(50);
        var counts = new int[4];
        var rng = new Rng(5);
        for (var round = 0; round < 2000; round++)
        {
            buffer.Sample(batch, rng);
            foreach (var i in batch.Indices) counts[i]++;
        }
        const double total = 100_000;
        for (var i = 0; i < 4; i++)
            (counts[i] / total).Should().BeApproximately((i + 1) / 10.0, 0.01, $"index {i}");
    }

    [Fact]
    public void ImportanceWeightsAreNormalisedByTheLargestWeight()
    {
        var buffer = WithTransitions(4, alpha: 1, beta0: 0.5);
        buffer.UpdatePriorities([0, 1, 2, 3], [1f, 2f, 3f, 4f]);
        var batch = buffer.CreateBatch(64);
        buffer.Sample(batch, new Rng(1));
        for (var b = 0; b < batch.Size; b++)
        {
            var p = batch.Indices[b] + 1 + 1e-6;
            var expected = Math.Pow(p / (1 + 1e-6), -0.5); // (p_i / p_min)^−β
            batch.Weights[b].Should().BeApproximately((float)expected, 1e-5f);
            batch.Weights[b].Should().BeLessThanOrEqualTo(1f);
        }
        // The same weights from the textbook form (N·P(i))^−β / max_j (N·P(j))^−β.
        var totalP = 10 + 4e-6;
        var maxW = Math.Pow(4 * (1 + 1e-6) / totalP, -0.5);
        var w3 = Math.Pow(4 * (4 + 1e-6) / totalP, -0.5) / maxW;
        var row = Array.IndexOf(batch.Indices, 3);
        if (row >= 0) batch.Weights[row].Should().BeApproximately((float)w3, 1e-5f);
    }

    [Fact]
    public void BetaAnnealsLinearlyToOne()
    {
        var buffer = WithTransitions(1, beta0: 0.4);
        buffer.Beta.Should().Be(0.4);
        buffer.AnnealBeta(0.5);
        buffer.Beta.Should().BeApproximately(0.7, 1e-12);
        buffer.AnnealBeta(2);
        buffer.Beta.Should().Be(1);
    }

    [Fact]
    public void StratifiedSamplingWithNStepKeepsTheBatchConsistent()
    {
        var buffer = new PrioritizedReplayBuffer(100, 1, 1, nStep: 2, gamma: 0.5);
        for (var i = 0; i < 10; i++) buffer.Add([i], [0], [1], [i + 1], [false], [false]);
        var batch = buffer.CreateBatch(8);
        buffer.Sample(batch, new Rng(3));
        for (var b = 0; b < 8; b++)
        {
            var i = batch.Indices[b];
            batch.Obs[b].Should().Be(i);
            batch.Rewards[b].Should().Be(i == 9 ? 1f : 1.5f);
        }
    }

    [Fact]
    public void SaveAndLoadKeepPriorities()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var source = WithTransitions(5);
            source.UpdatePriorities([1, 3], [2f, 7f]);
            source.AnnealBeta(0.25);
            source.Save(dir);
            var copy = new PrioritizedReplayBuffer(100, 1, 1, alpha: 0.6, beta0: 0.4, epsilon: 1e-6);
            copy.Load(dir);
            for (var i = 0; i < 5; i++) copy.PriorityAt(i).Should().Be(source.PriorityAt(i));
            copy.MaxPriority.Should().Be(source.MaxPriority);
            copy.Beta.Should().Be(source.Beta);
            var a = source.CreateBatch(16);
            var b = copy.CreateBatch(16);
            source.Sample(a, new Rng(2));
            copy.Sample(b, new Rng(2));
            b.Indices.Should().Equal(a.Indices);
            b.Weights.ToArray().Should().Equal(a.Weights.ToArray());

            var uniform = new ReplayBuffer(100, 1, 1);
            uniform.Invoking(u => u.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*PrioritizedReplayBuffer*");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_constructor_and_Beta_accept_the_closed_ranges_and_refuse_what_lies_outside_by_name()
    {
        PrioritizedReplayBuffer Make(double alpha = 0.6, double beta0 = 0.4, double epsilon = 1e-6) =>
            new(10, 1, 1, alpha: alpha, beta0: beta0, epsilon: epsilon);
        void Refused(Func<PrioritizedReplayBuffer> make, string name, string message) =>
            make.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message + "*").Which.ParamName.Should().Be(name);

        Make(alpha: 0).Alpha.Should().Be(0, "α = 0 is uniform sampling");
        Make(beta0: 0).Beta.Should().Be(0);
        Make(beta0: 1).Beta.Should().Be(1);
        Make(epsilon: 1e-300).Epsilon.Should().Be(1e-300);
        Refused(() => Make(alpha: -0.1), "alpha", "alpha must be a finite number ≥ 0.");
        Refused(() => Make(alpha: double.PositiveInfinity), "alpha", "alpha must be a finite number ≥ 0.");
        Refused(() => Make(alpha: double.NaN), "alpha", "alpha must be a finite number ≥ 0.");
        Refused(() => Make(beta0: -0.01), "beta0", "beta0 must lie in [0, 1].");
        Refused(() => Make(beta0: 1.01), "beta0", "beta0 must lie in [0, 1].");
        Refused(() => Make(epsilon: 0), "epsilon", "epsilon must be a finite number > 0.");
        Refused(() => Make(epsilon: double.PositiveInfinity), "epsilon", "epsilon must be a finite number > 0.");

        var buffer = Make();
        buffer.Beta = 0;
        buffer.Beta.Should().Be(0);
        buffer.Beta = 1;
        buffer.Beta.Should().Be(1);
        buffer.Invoking(b => b.Beta = 1.5).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Beta must lie in [0, 1].*").Which.ParamName.Should().Be("Beta");
        buffer.Invoking(b => b.Beta = -0.5).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Beta must lie in [0, 1].*");
        buffer.Beta.Should().Be(1, "a refused value changes nothing");
    }

    [Fact]
    public void Sample_and_UpdatePriorities_refuse_bad_arguments_naming_them()
    {
        var empty = new PrioritizedReplayBuffer(10, 1, 1);
        empty.Invoking(b => b.Sample(empty.CreateBatch(2), new Rng(0))).Should().Throw<InvalidOperationException>()
            .WithMessage("Cannot sample from an empty replay buffer.");
        var buffer = WithTransitions(3);
        buffer.Invoking(b => b.Sample(new ReplayBatch(2, 2, 1), new Rng(0))).Should().Throw<ArgumentException>().WithParameterName("batch");
        buffer.Invoking(b => b.Sample(buffer.CreateBatch(2), null!)).Should().Throw<ArgumentNullException>().WithParameterName("rng");
        buffer.Invoking(b => b.UpdatePriorities([0, 1], [1f])).Should().Throw<ArgumentException>()
            .WithMessage("2 indices but 1 TD errors.*").WithParameterName("tdErrors");
        buffer.Invoking(b => b.UpdatePriorities([0, 1], [1f, float.PositiveInfinity])).Should().Throw<ArgumentException>()
            .WithMessage("TD error 1 is Infinity; priorities must come from finite errors.*").WithParameterName("tdErrors");
        buffer.Invoking(b => b.UpdatePriorities([3], [1f])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("index must be in [0, 3).*").WithParameterName("indices");
        buffer.Invoking(b => b.UpdatePriorities([-1], [1f])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("indices");
        buffer.Invoking(b => b.UpdatePriorities([0, 3], [5f, 1f])).Should().Throw<ArgumentOutOfRangeException>();
        buffer.PriorityAt(0).Should().Be(1, "refused updates leave the priorities as they were, even pairs before the bad one");
        buffer.MaxPriority.Should().Be(1);
    }

    [Fact]
    public void Importance_weights_divide_by_the_smallest_priority_when_it_is_not_one()
    {
        // Priorities 2, 4, 6, 8 (α = 1, ε = 1e-6): the weight of index i is ((p_i / p_min))^−β with p_min = 2.
        var buffer = WithTransitions(4, alpha: 1, beta0: 1);
        buffer.UpdatePriorities([0, 1, 2, 3], [2f, 4f, 6f, 8f]);
        var batch = buffer.CreateBatch(16);
        buffer.Sample(batch, new Rng(4));
        batch.Indices.Distinct().Should().HaveCount(4, "16 strata over a total of 20 reach every index");
        for (var b = 0; b < batch.Size; b++)
        {
            var i = batch.Indices[b];
            var expected = Math.Pow((2.0 * (i + 1) + 1e-6) / (2 + 1e-6), -1);
            batch.Weights[b].Should().BeApproximately((float)expected, 1e-6f, $"index {i}");
        }
    }

    [Fact]
    public void Load_refuses_a_non_positive_max_priority_or_priority_and_takes_beta_only_from_the_closed_range()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var source = WithTransitions(3, beta0: 0.4);
            source.UpdatePriorities([1], [3f]);
            var meta = Path.Combine(dir, "meta.json");
            var prioritiesFile = Path.Combine(dir, "priorities.f64");

            PrioritizedReplayBuffer LoadWith(Action<System.Text.Json.Nodes.JsonObject> edit)
            {
                source.Save(dir);
                var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(meta))!.AsObject();
                edit(json["Extra"]!.AsObject());
                File.WriteAllText(meta, json.ToJsonString());
                var copy = new PrioritizedReplayBuffer(100, 1, 1, alpha: 0.6, beta0: 0.4, epsilon: 1e-6);
                copy.Load(dir);
                return copy;
            }

            LoadWith(e => e["Beta"] = 0.0).Beta.Should().Be(0);
            LoadWith(e => e["Beta"] = 1.0).Beta.Should().Be(1);
            LoadWith(e => e["Beta"] = 0.7).Beta.Should().Be(0.7);
            LoadWith(e => e["Beta"] = 1.5).Beta.Should().Be(0.4, "an out-of-range β falls back to β₀");
            LoadWith(e => e["Beta"] = -0.5).Beta.Should().Be(0.4);
            LoadWith(e => e.Remove("Beta")).Beta.Should().Be(0.4, "a missing β falls back to β₀");
            FluentActions.Invoking(() => LoadWith(e => e["MaxPriority"] = 0.0)).Should().Throw<InvalidDataException>()
                .WithMessage($"'{dir}/meta.json' lacks a positive MaxPriority for the prioritised buffer.");

            void RefusedPriority(double p, string shown)
            {
                source.Save(dir);
                File.WriteAllBytes(prioritiesFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes<double>([1, p, 1]).ToArray());
                var copy = new PrioritizedReplayBuffer(100, 1, 1);
                copy.Invoking(c => c.Load(dir)).Should().Throw<InvalidDataException>()
                    .WithMessage($"'{dir}/priorities.f64' holds the priority {shown}; priorities must be finite and > 0.");
                copy.Count.Should().Be(0);
            }
            RefusedPriority(0, "0");
            RefusedPriority(-1, "-1");
            RefusedPriority(double.PositiveInfinity, "Infinity");
        }
        finally { Directory.Delete(dir, true); }
    }
}
