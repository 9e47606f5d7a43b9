using FluentAssertions;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Tests.Kernels;

/// <summary>
/// <see cref="ElementShares"/> splits the elements of a list of tensors into one share per thread for elementwise work
/// (Adam, soft updates): the shares must cover every element exactly once, in order, split a tensor only at aligned
/// offsets that leave a whole vector after them (so results do not depend on the thread count), and stay balanced.
/// </summary>
public sealed class ElementSharesTests
{
    public static TheoryData<int[]> Layouts => new()
    {
        new[] { 100_000 },
        new[] { 1, 70_001, 5, 300, 64, 65 },
        new[] { 3, 3, 3 },
        new[] { 1024, 256, 65_536, 256, 256, 1, 1024, 256, 65_536, 256, 256, 1 },   // SAC's twin critics
        new[] { 65_536, 40 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Shares_cover_every_element_once_in_order(int[] lengths)
    {
        var shares = new ElementShares(lengths.Select(n => Tensor.Zeros([n])).ToArray());
        for (int parts = 1; parts <= 5; parts++)
        {
            var seen = lengths.Select(n => new int[n]).ToArray();
            (int Tensor, int End) last = (0, 0);
            for (int part = 0; part < parts; part++)
            {
                foreach (var (tensor, start, length) in shares.Pieces(part, parts))
                {
                    length.Should().BePositive();
                    (tensor, start).Should().Match<(int T, int S)>(x => x.T > last.Tensor || (x.T == last.Tensor && x.S >= last.End),
                        "pieces follow each other in element order");
                    for (int i = start; i < start + length; i++) seen[tensor][i]++;
                    last = (tensor, start + length);
                }
            }

            seen.SelectMany(s => s).Should().OnlyContain(c => c == 1, $"{parts} shares cover each element once");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_tensor_is_split_only_at_aligned_offsets_with_a_whole_block_after_them(int[] lengths)
    {
        var shares = new ElementShares(lengths.Select(n => Tensor.Zeros([n])).ToArray());
        for (int parts = 2; parts <= 5; parts++)
        {
            for (int part = 0; part < parts; part++)
            {
                foreach (var (tensor, start, length) in shares.Pieces(part, parts))
                {
                    if (start > 0)
                    {
                        (start % ElementShares.Alignment).Should().Be(0);
                        (lengths[tensor] - start).Should().BeGreaterThanOrEqualTo(ElementShares.Alignment);
                    }

                    if (start + length < lengths[tensor]) ((start + length) % ElementShares.Alignment).Should().Be(0);
                }
            }
        }
    }

    [Fact]
    public void Shares_of_one_large_tensor_are_equal_to_within_an_alignment_block()
    {
        var shares = new ElementShares([Tensor.Zeros([100_000])]);
        for (int parts = 2; parts <= 4; parts++)
        {
            var sizes = Enumerable.Range(0, parts).Select(p => Sum(shares, p, parts)).ToArray();
            sizes.Sum().Should().Be(100_000);
            sizes.Should().OnlyContain(s => Math.Abs(s - 100_000.0 / parts) <= ElementShares.Alignment);
        }
    }

    [Fact]
    public void Twin_critics_split_between_the_two_networks()
    {
        int[] critic = [1024, 256, 65_536, 256, 256, 1];
        var shares = new ElementShares(critic.Concat(critic).Select(n => Tensor.Zeros([n])).ToArray());
        var first = Pieces(shares, 0, 2);
        first.Should().Equal(Enumerable.Range(0, 6).Select(i => new ElementShares.Piece(i, 0, critic[i])), "one share is exactly the first critic");
    }

    [Fact]
    public void Small_lists_run_as_one_share_and_large_ones_as_one_per_thread()
    {
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            new ElementShares([Tensor.Zeros([ElementShares.MinParallelElements - 1])]).Parts.Should().Be(1);
            new ElementShares([Tensor.Zeros([ElementShares.MinParallelElements - 10]), Tensor.Zeros([10])]).Parts.Should().Be(2);
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }

    [Fact]
    public void A_part_outside_the_range_is_refused() =>
        FluentActions.Invoking(() => new ElementShares([Tensor.Zeros([10])]).Pieces(2, 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*part must lie in [0, 2)*");

    private static List<ElementShares.Piece> Pieces(ElementShares shares, int part, int parts)
    {
        var list = new List<ElementShares.Piece>();
        foreach (var piece in shares.Pieces(part, parts)) list.Add(piece);
        return list;
    }

    private static int Sum(ElementShares shares, int part, int parts) => Pieces(shares, part, parts).Sum(p => p.Length);
}
