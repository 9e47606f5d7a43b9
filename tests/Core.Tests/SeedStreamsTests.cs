namespace RlExperiments.Core.Tests;

public class SeedStreamsTests
{
    // Pinned reference values, computed with the derivation before it moved to Core (EnvFactory.DeriveSeeds at commit
    // f02d670). They pin seed reproducibility across versions: the same experiment seed must keep giving the same
    // environment seeds. Never update them to make a test pass; a change here changes every run's environments.
    [Theory]
    [InlineData(0, 1, 1, 452398218, 444252751, 237776299)]
    [InlineData(1, 4, 2, 662119088, 729450952, 768615683)]
    [InlineData(42, 4, 2, 306662040, 390306278, 1057519756)]
    [InlineData(-7, 16, 8, 200467614, 319762040, 115885)]
    [InlineData(123456, 8, 0, 289458181, 90927916, 543680334)]
    [InlineData(int.MaxValue, 1, 10, 971509078, 630597428, 624448685)]
    public void EnvironmentSeeds_equal_the_pinned_values_of_earlier_versions(int seed, int numTrain, int numTest, int train, int test, int watch) =>
        SeedStreams.FromSeed(seed).EnvironmentSeeds(numTrain, numTest).Should().Be(new EnvSeeds(train, test, watch));

    [Fact]
    public void EnvironmentSeeds_do_not_advance_the_streams()
    {
        var streams = SeedStreams.FromSeed(3);
        var first = streams.EnvironmentSeeds(2, 2);
        streams.EnvironmentSeeds(2, 2).Should().Be(first);
        streams.Environments.NextUInt64().Should().Be(SeedStreams.FromSeed(3).Environments.NextUInt64());
        streams.Seed.Should().Be(3);
    }

    [Fact]
    public void EnvironmentSeeds_refuse_invalid_counts()
    {
        var streams = SeedStreams.FromSeed(0);
        streams.Invoking(s => s.EnvironmentSeeds(0, 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*numTrainEnvs = 0*");
        streams.Invoking(s => s.EnvironmentSeeds(1, -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*numTestEnvs = -1*");
    }

    // Pinned as above: the run seeds of a seeded collection must stay those of earlier versions (computed once from
    // the implementation of December 2026; never update them to make a test pass).
    [Fact]
    public void RunSeeds_equal_the_pinned_values_and_asking_for_more_keeps_the_first()
    {
        SeedStreams.RunSeeds(0, 5).Should().Equal(1066338336, 957003049, 49211465, 341946541, 161742333);
        SeedStreams.RunSeeds(0, 2).Should().Equal(1066338336, 957003049);
        SeedStreams.RunSeeds(42, 3).Should().Equal(47353243, 348099300, 418319204);
        SeedStreams.RunSeeds(-1, 2).Should().Equal(364702653, 250878684);
        SeedStreams.RunSeeds(7, 200).Should().OnlyHaveUniqueItems().And.OnlyContain(s => s >= 0 && s < (1 << 30));
        FluentActions.Invoking(() => SeedStreams.RunSeeds(0, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*= 0 is invalid*");
    }

    [Fact]
    public void The_four_streams_are_the_first_four_children_of_the_seed()
    {
        var streams = SeedStreams.FromSeed(5);
        var children = new Rng(5).Spawn(4);
        streams.Init.NextUInt64().Should().Be(children[0].NextUInt64()).And.Be(15567606952257271904UL);
        streams.Exploration.NextUInt64().Should().Be(children[1].NextUInt64()).And.Be(4199411664991176520UL);
        streams.Sampling.NextUInt64().Should().Be(children[2].NextUInt64()).And.Be(11719232757037199794UL);
        streams.Environments.NextUInt64().Should().Be(children[3].NextUInt64()).And.Be(4562334302797217118UL);
    }

    [Fact]
    public void A_test_range_that_touches_the_training_range_is_kept_and_one_that_overlaps_it_is_redrawn()
    {
        // Seed 1 draws train 662119088 and test 729450952 first (the pinned values above), whatever the counts.
        const int train = 662119088, test = 729450952;
        var touching = SeedStreams.FromSeed(1).EnvironmentSeeds(test - train, 1);
        touching.Should().Be(touching with { Train = train, Test = test }, "[train, test) and [test, test + 1) do not overlap");
        var overlapping = SeedStreams.FromSeed(1).EnvironmentSeeds(test - train + 1, 1);
        overlapping.Train.Should().Be(train);
        overlapping.Test.Should().NotBe(test, "the first test seed lies inside the training range and is redrawn");
        ((long)overlapping.Test + 1 <= train || (long)train + test - train + 1 <= overlapping.Test).Should().BeTrue();
    }

    [Fact]
    public void Test_and_watch_seed_ranges_never_overlap_the_training_range()
    {
        // Many training envs make overlaps likely enough to exercise the redraw.
        for (var seed = 0; seed < 200; seed++)
        {
            var s = SeedStreams.FromSeed(seed).EnvironmentSeeds(1 << 25, 1 << 22);
            ((long)s.Test + (1 << 22) <= s.Train || (long)s.Train + (1 << 25) <= s.Test).Should().BeTrue($"seed {seed}: {s}");
            ((long)s.Watch + 1 <= s.Train || (long)s.Train + (1 << 25) <= s.Watch).Should().BeTrue($"seed {seed}: {s}");
            ((long)s.Watch + 1 <= s.Test || (long)s.Test + (1 << 22) <= s.Watch).Should().BeTrue($"seed {seed}: {s}");
        }
    }

    [Fact]
    public void A_test_range_that_ends_where_the_training_range_starts_is_kept_and_one_that_reaches_into_it_is_redrawn()
    {
        // Seed 0 draws train 452398218 and test 444252751 first (the pinned values above): the test range lies below.
        const int train = 452398218, test = 444252751;
        var touching = SeedStreams.FromSeed(0).EnvironmentSeeds(1, train - test);
        touching.Train.Should().Be(train);
        touching.Test.Should().Be(test, "[test, train) and [train, train + 1) do not overlap");
        var overlapping = SeedStreams.FromSeed(0).EnvironmentSeeds(1, train - test + 1);
        overlapping.Test.Should().NotBe(test, "the last test seed would be the training seed");
        ((long)overlapping.Test + train - test + 1 <= train || (long)train + 1 <= overlapping.Test).Should().BeTrue();
    }

    [Fact]
    public void Without_test_environments_the_first_test_draw_is_kept_and_only_the_watch_seed_avoids_the_training_range()
    {
        // Seed 1 draws train 662119088, test 729450952 and watch 768615683 first. With no test environments the test
        // seed is unused and never redrawn, even where a range of zero width "starting" inside the training range would be.
        const int train = 662119088, test = 729450952, watch = 768615683;
        var s = SeedStreams.FromSeed(1).EnvironmentSeeds(test - train + 1, 0);
        s.Train.Should().Be(train);
        s.Test.Should().Be(test);
        s.Watch.Should().Be(watch, "the watch seed lies above the training range [train, test + 1)");
    }

    [Fact]
    public void The_watch_seed_is_redrawn_out_of_the_test_range()
    {
        const int train = 662119088, test = 729450952, watch = 768615683;
        var s = SeedStreams.FromSeed(1).EnvironmentSeeds(1, watch - test + 1); // the test range [test, watch] covers the first watch draw
        s.Train.Should().Be(train);
        s.Test.Should().Be(test);
        s.Watch.Should().NotBe(watch);
        ((long)s.Watch + 1 <= test || (long)test + watch - test + 1 <= s.Watch).Should().BeTrue($"{s}");
        ((long)s.Watch + 1 <= train || (long)train + 1 <= s.Watch).Should().BeTrue($"{s}");
    }

    [Fact]
    public void One_run_seed_is_the_first_of_many()
    {
        SeedStreams.RunSeeds(0, 1).Should().Equal(1066338336);
        SeedStreams.SpawnDistinct(99, 1).Should().Equal(new Rng(99).Spawn(1)[0].NextInt(1 << 30));
    }
}
