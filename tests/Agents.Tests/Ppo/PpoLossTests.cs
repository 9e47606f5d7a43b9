using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Tensors;

namespace RlExperiments.Agents.Tests.Ppo;

public class PpoLossTests
{
    [Fact]
    public void Clipped_surrogate_matches_a_hand_computed_example_in_value_and_gradient()
    {
        // ε = 0.2, so the ratio is clipped to [0.8, 1.2].
        //   r = 0.5, A =  1: min(0.5,  0.8)  =  0.5   (unclipped term active: gradient −A/4 = −0.25)
        //   r = 1.0, A = −1: min(−1,  −1)    = −1     (in range:              gradient −A/4 = +0.25)
        //   r = 1.5, A =  2: min(3.0,  2.4)  =  2.4   (clipped term active, r outside: gradient 0)
        //   r = 1.1, A = −2: min(−2.2, −2.2) = −2.2   (in range:              gradient −A/4 = +0.5)
        // L = −(0.5 − 1 + 2.4 − 2.2) / 4 = 0.075
        var ratio = Tensor.From([0.5f, 1.0f, 1.5f, 1.1f], requiresGrad: true);
        var advantages = Tensor.From([1f, -1f, 2f, -2f]);
        var loss = PpoLoss.ClippedSurrogate(ratio, advantages, 0.2f);
        loss.Item().Should().BeApproximately(0.075f, 1e-6f);
        loss.Backward();
        ratio.Grad!.ToArray().Should().Equal([-0.25f, 0.25f, 0f, 0.5f], (a, e) => Math.Abs(a - e) < 1e-6f);
    }

    [Fact]
    public void Clipped_surrogate_at_ratio_one_is_minus_the_mean_advantage()
    {
        var loss = PpoLoss.ClippedSurrogate(Tensor.From([1f, 1f, 1f]), Tensor.From([3f, -1f, 1f]), 0.1f);
        loss.Item().Should().BeApproximately(-1f, 1e-6f);
    }

    [Fact]
    public void Approx_kl_is_the_mean_of_ratio_minus_one_minus_log_ratio()
    {
        float[] logRatio = [MathF.Log(0.5f), 0f, MathF.Log(1.5f)];
        // ((0.5 − 1) − ln 0.5 + 0 + (1.5 − 1) − ln 1.5) / 3
        var expected = ((0.5 - 1) - Math.Log(0.5) + (1.5 - 1) - Math.Log(1.5)) / 3;
        PpoLoss.ApproxKl(logRatio).Should().BeApproximately(expected, 1e-7);
        expected.Should().BeApproximately(0.095894, 1e-6);
        PpoLoss.ApproxKl([0f, 0f]).Should().Be(0);
        PpoLoss.ApproxKl([-0.3f, 0.7f]).Should().BePositive("the k3 estimator is never negative");
    }

    [Fact]
    public void Clip_fraction_counts_ratios_outside_the_clip_range()
    {
        PpoLoss.ClipFraction([0.5f, 1.0f, 1.19f, 1.3f], 0.2).Should().Be(0.5);
    }

    [Fact]
    public void Value_loss_is_mse_or_clipped_around_the_old_values()
    {
        var values = Tensor.From([1f, 5f]);
        var oldValues = Tensor.From([0f, 4.5f]);
        var returns = Tensor.From([2f, 3f]);
        // Plain: ((2 − 1)² + (3 − 5)²) / 2 = 2.5
        PpoLoss.ValueLoss(values, oldValues, returns, null).Item().Should().BeApproximately(2.5f, 1e-6f);
        // Clipped to V_old ± 0.2: predictions 0.2 and 4.7 → ((2 − 0.2)² + (3 − 4.7)²) / 2 = (3.24 + 2.89) / 2
        PpoLoss.ValueLoss(values, oldValues, returns, 0.2f).Item().Should().BeApproximately(3.065f, 1e-5f);
    }

    [Fact]
    public void Advantages_are_normalised_with_the_unbiased_std()
    {
        float[] adv = [1f, 2f, 3f, 4f];
        PpoLoss.NormalizeAdvantages(adv);
        // mean 2.5, unbiased std √(5/3)
        var std = Math.Sqrt(5.0 / 3.0);
        adv.Should().Equal(new[] { -1.5, -0.5, 0.5, 1.5 }.Select(a => (float)(a / (std + 1e-8))), (a, e) => Math.Abs(a - e) < 1e-6f);
    }
}
