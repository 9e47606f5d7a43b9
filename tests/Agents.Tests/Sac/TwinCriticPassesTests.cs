using FluentAssertions;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Distributions;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Tests.Sac;

/// <summary>
/// The critics' passes of SAC and TD3 run one per core (<see cref="TwinCriticPasses"/>): they must give exactly the bits
/// of the single graphs they replace, SAC's ½ (MSE(Q₁, y) + MSE(Q₂, y)) or TD3's MSE(Q₁, y) + MSE(Q₂, y) with one
/// backward pass and min(Q₁', Q₂') of one forward pass, on one thread and on two.
/// </summary>
public sealed class TwinCriticPassesTests
{
    private const int Batch = 256, Obs = 3, Act = 1;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_and_values_equal_the_single_graph_on_one_and_two_threads(bool sac)
    {
        var rng = new Rng(11);
        var critic = new TwinQCritic(Obs, Act, [256, 256], Activation.ReLU, rng);
        var target = new TwinQCritic(Obs, Act, [256, 256], Activation.ReLU, rng);
        var obs = Tensor.Randn([Batch, Obs], rng);
        var act = Tensor.Randn([Batch, Act], rng);
        var y = Tensor.Randn([Batch, 1], rng);

        // The graph SacAgent built before the passes existed.
        float[] expectedQ1, expectedTarget;
        float expectedLoss;
        using (Tensor.Scope())
        {
            var (q1, q2) = critic.Forward(obs, act);
            var sum = Functional.MseLoss(q1, y) + Functional.MseLoss(q2, y);
            var loss = sac ? 0.5f * sum : sum;
            loss.Backward();
            expectedQ1 = q1.ToArray();
            expectedLoss = loss.Item();
            using var noGrad = Tensor.NoGrad();
            var (t1, t2) = target.Forward(obs, act);
            expectedTarget = t1.Minimum(t2).ToArray();
        }

        var expectedGrads = Grads(critic);
        var passes = new TwinCriticPasses(critic, target, Batch, lossScale: sac ? 0.5f : 1f);
        int saved = GemmThreading.ThreadCount;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                GemmThreading.ThreadCount = threads;
                foreach (var p in critic.Parameters()) p.Grad = null;
                passes.Train(obs, act, y);
                Grads(critic).Should().Equal(expectedGrads, $"gradients on {threads} thread(s)");
                passes.Q1.ToArray().Should().Equal(expectedQ1);
                var sumOfErrors = passes.MeanSquaredError1 + passes.MeanSquaredError2;
                (sac ? 0.5f * sumOfErrors : sumOfErrors).Should().Be(expectedLoss);
                GradClip.ClipGradNorm(critic.Parameters(), passes.GradientSumsOfSquares, double.PositiveInfinity)
                    .Should().Be(GradClip.GradNorm(critic.Parameters()), "the parts' sums of squares give the norm's bits");

                passes.Target(obs, act);
                using var scope = Tensor.Scope();
                passes.Q1.Minimum(passes.Q2).ToArray().Should().Equal(expectedTarget, $"target values on {threads} thread(s)");
            }
        }
        finally
        {
            GemmThreading.ThreadCount = saved;
        }
    }

    [Fact]
    public void The_actors_gradient_through_the_passes_equals_the_single_graph_on_one_and_two_threads()
    {
        var rng = new Rng(21);
        var actor = new TanhGaussianActor(Obs, [256, 256], Act, Activation.ReLU, -20f, 2f, rng);
        var critic = new TwinQCritic(Obs, Act, [256, 256], Activation.ReLU, rng);
        var obs = Tensor.Randn([Batch, Obs], rng);
        const float alpha = 0.3f;
        foreach (var p in critic.Parameters()) p.RequiresGrad = false;

        // SacAgent's step 5 as one graph: J(π) = mean(α log π(a|s) − min(Q₁(s, a), Q₂(s, a))).
        float expectedLoss;
        using (Tensor.Scope())
        {
            var (mean, logStd) = actor.Distribution(obs);
            var (action, logPi) = new TanhNormal(mean, logStd).RSampleWithLogProb(new Rng(5));
            var (q1, q2) = critic.Forward(obs, action);
            var loss = (alpha * logPi.Reshape([Batch, 1]) - q1.Minimum(q2)).Mean();
            loss.Backward();
            expectedLoss = loss.Item();
        }

        var expectedGrads = Grads(actor);
        var passes = new TwinCriticPasses(critic, critic, Batch, lossScale: 0.5f);
        var seed1 = Tensor.Zeros([Batch, 1], requiresGrad: true);
        var seed2 = Tensor.Zeros([Batch, 1], requiresGrad: true);
        int saved = GemmThreading.ThreadCount;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                GemmThreading.ThreadCount = threads;
                foreach (var p in actor.Parameters()) p.Grad = null;
                using var scope = Tensor.Scope();
                var (mean, logStd) = actor.Distribution(obs);
                var (action, logPi) = new TanhNormal(mean, logStd).RSampleWithLogProb(new Rng(5));
                var logPiColumn = logPi.Reshape([Batch, 1]);
                passes.PolicyForward(obs, action);

                // The seeds ∂J/∂Qⱼ and J's value from the same operations on the two Q columns alone.
                passes.Q1.Data.CopyTo(seed1.Data);
                passes.Q2.Data.CopyTo(seed2.Data);
                seed1.ZeroGrad();
                seed2.ZeroGrad();
                var seedLoss = (alpha * logPiColumn.Detach() - seed1.Minimum(seed2)).Mean();
                seedLoss.Backward();
                seedLoss.Item().Should().Be(expectedLoss);
                passes.PolicyBackward(seed1.Grad!, seed2.Grad!);

                // The actor's graph gets the critics' part of the gradient as ∂/∂x Σ x ⊙ G = G.
                var surrogate = (alpha * logPiColumn).Mean() + (Tensor.Cat(obs, action) * passes.InputGradient).Sum();
                surrogate.Backward();
                Grads(actor).Should().Equal(expectedGrads, $"the actor's gradients on {threads} thread(s)");
            }
        }
        finally
        {
            GemmThreading.ThreadCount = saved;
        }
    }

    [Fact]
    public void A_target_that_requires_grad_or_a_batch_of_another_size_is_refused()
    {
        var rng = new Rng(12);
        var critic = new TwinQCritic(Obs, Act, [8], Activation.ReLU, rng);
        var passes = new TwinCriticPasses(critic, critic, 4, lossScale: 1f);
        FluentActions.Invoking(() => passes.Train(Tensor.Zeros([4, Obs]), Tensor.Zeros([4, Act]), Tensor.Zeros([4, 1], requiresGrad: true)))
            .Should().Throw<ArgumentException>().WithMessage("*must not require grad*");
        FluentActions.Invoking(() => passes.Target(Tensor.Zeros([5, Obs]), Tensor.Zeros([5, Act])))
            .Should().Throw<ArgumentException>().WithMessage("*4 rows*5*3*");
    }

    private static float[] Grads(Module m) => m.Parameters().SelectMany(p => p.Grad!.ToArray()).ToArray();
}
