using RlExperiments.Core;

namespace RlExperiments.Core.Tests;

public class RngTests
{
    [Fact]
    public void SameSeedGivesSameSequence()
    {
        var a = new Rng(7);
        var b = new Rng(7);
        for (var i = 0; i < 1000; i++)
            a.NextUInt64().Should().Be(b.NextUInt64());
    }

    [Fact]
    public void DifferentSeedsDiffer()
    {
        var a = new Rng(7);
        var b = new Rng(8);
        Enumerable.Range(0, 16).Count(_ => a.NextUInt64() == b.NextUInt64()).Should().Be(0);
    }

    [Fact]
    public void SpawnedChildrenAreReproducibleDistinctAndLeaveParentUntouched()
    {
        var parent = new Rng(42);
        var reference = new Rng(42);
        var children = parent.Spawn(3);
        parent.NextUInt64().Should().Be(reference.NextUInt64(), "spawning must not consume parent numbers");

        var again = new Rng(42).Spawn(3);
        for (var i = 0; i < 3; i++)
            children[i].NextUInt64().Should().Be(again[i].NextUInt64());

        var firsts = new Rng(42).Spawn(3).Select(c => c.NextUInt64()).ToArray();
        firsts.Distinct().Should().HaveCount(3);
        // A second spawn yields new children, not the same three again.
        var p = new Rng(42);
        var first = p.Spawn(2).Select(c => c.NextUInt64()).ToArray();
        var second = p.Spawn(2).Select(c => c.NextUInt64()).ToArray();
        first.Intersect(second).Should().BeEmpty();
    }

    [Fact]
    public void GrandchildrenDoNotRepeatSiblings()
    {
        var root = new Rng(1);
        var kids = root.Spawn(2);
        var grandchild = kids[0].SpawnOne();
        grandchild.NextUInt64().Should().NotBe(kids[1].NextUInt64());
    }

    [Fact]
    public void StateRoundTripContinuesExactly()
    {
        var a = new Rng(3);
        for (var i = 0; i < 11; i++) a.Normal(); // odd count leaves a cached spare
        var state = a.GetState();
        var b = Rng.FromState(state);
        for (var i = 0; i < 100; i++)
        {
            b.Normal().Should().Be(a.Normal());
            b.NextUInt64().Should().Be(a.NextUInt64());
        }
    }

    [Fact]
    public void UniformDrawsHaveTheRightMoments()
    {
        var rng = new Rng(5);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var x = rng.NextDouble();
            x.Should().BeInRange(0, 1);
            sum += x; sumSq += x * x;
        }
        var mean = sum / n;
        // Standard error of the mean is sqrt(1/12 / n) ~ 6.5e-4: 5 standard errors.
        mean.Should().BeApproximately(0.5, 0.0033);
        (sumSq / n - mean * mean).Should().BeApproximately(1.0 / 12, 0.002);
    }

    [Fact]
    public void NormalDrawsHaveTheRightMoments()
    {
        var rng = new Rng(6);
        const int n = 200_000;
        double sum = 0, sumSq = 0, sum4 = 0;
        for (var i = 0; i < n; i++)
        {
            var x = rng.Normal();
            sum += x; sumSq += x * x; sum4 += x * x * x * x;
        }
        (sum / n).Should().BeApproximately(0, 0.012);         // 5 standard errors of 1/sqrt(n)
        (sumSq / n).Should().BeApproximately(1, 0.016);       // sd of x^2 is sqrt(2)
        (sum4 / n).Should().BeApproximately(3, 0.15);         // kurtosis of a normal is 3
    }

    [Fact]
    public void NextIntIsUnbiasedAndInRange()
    {
        var rng = new Rng(9);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++)
            counts[rng.NextInt(6)]++;
        // Each count ~ Binomial(60000, 1/6): sd ~ 91; allow 5 sd.
        counts.Should().OnlyContain(c => Math.Abs(c - 10_000) < 460);
        rng.NextInt(3, 4).Should().Be(3);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        var rng = new Rng(1);
        FluentActions.Invoking(() => rng.NextInt(0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*maxExclusive*");
        FluentActions.Invoking(() => rng.NextInt(5, 5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*minInclusive (5)*");
        FluentActions.Invoking(() => rng.SetState(default)).Should().Throw<ArgumentException>().WithMessage("*all-zero*");
    }

    [Fact]
    public void Shuffle_is_Fisher_Yates_drawing_one_index_per_position_above_the_first()
    {
        // Reference: for i = n−1 down to 1, swap i with j = NextInt(i + 1); exactly n − 1 draws, none for i = 0.
        var rng = new Rng(77);
        var twin = new Rng(77);
        var values = Enumerable.Range(0, 10).ToArray();
        var expected = Enumerable.Range(0, 10).ToArray();
        rng.Shuffle<int>(values);
        for (var i = expected.Length - 1; i > 0; i--)
        {
            var j = twin.NextInt(i + 1);
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }
        values.Should().Equal(expected);
        rng.NextUInt64().Should().Be(twin.NextUInt64(), "the shuffle used exactly n − 1 draws");
        rng.Shuffle<int>([5]);
        rng.NextUInt64().Should().Be(twin.NextUInt64(), "one element needs no draw");
    }

    [Fact]
    public void NextInt_names_a_non_positive_bound()
    {
        FluentActions.Invoking(() => new Rng(1).NextInt(-3)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("maxExclusive must be positive.*").Which.ParamName.Should().Be("maxExclusive");
    }
}
