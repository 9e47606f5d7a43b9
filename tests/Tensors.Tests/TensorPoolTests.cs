using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FluentAssertions;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// The pool behind <see cref="Tensor.Scope"/> hands out storage that is likely in the cache (the most recently rented
/// first) and, from 4 KiB, aligned to a cache line, as are parameters' gradients (<see cref="AlignedStorage"/>):
/// properties the kernels' speed rests on, invisible in any value.
/// </summary>
public sealed unsafe class TensorPoolTests
{
    [Fact]
    public void A_closed_scope_offers_its_most_recently_rented_storage_first()
    {
        float[] firstRented, lastRented;
        using (Tensor.Scope())
        {
            var a = Tensor.Full([8], 1f);
            var c = a + 1f + 1f;
            (firstRented, lastRented) = (a._data, c._data);
        }

        using (Tensor.Scope())
        {
            var next = Tensor.Full([8], 0f);
            next._data.Should().BeSameAs(lastRented, "the storage written last is the likeliest to be in the cache still");
            next._data.Should().NotBeSameAs(firstRented);
        }
    }

    [Fact]
    public void Pooled_tensors_from_four_KiB_start_on_a_cache_line_also_when_reused()
    {
        // Large arrays (the large object heap) never move, so their alignment can be checked at any time; smaller ones
        // may be moved by a collection between the check and the rent, so for them the padding that allows it is checked.
        for (int round = 0; round < 3; round++)
        {
            using var scope = Tensor.Scope();
            foreach (int[] shape in new[] { new[] { 256, 256 }, new[] { 32768 } })
            {
                var t = Tensor.Full(shape, 1f) * 2f;
                AddressOf(t).Should().Be(AddressOf(t) / 64 * 64, $"shape [{string.Join(", ", shape)}], round {round}");
                t.ToArray().Should().OnlyContain(x => x == 2f);
            }

            var medium = Tensor.Full([33, 37], 1f) * 2f;
            medium._data.Length.Should().Be(33 * 37 + AlignedStorage.Padding);
            medium.ToArray().Should().OnlyContain(x => x == 2f);
            var small = Tensor.Full([AlignedStorage.MinCount - 1], 1f);
            small._offset.Should().Be(0, "smaller tensors are not padded");
            small._data.Length.Should().Be(AlignedStorage.MinCount - 1);
        }
    }

    [Fact]
    public void A_parameters_gradient_from_four_KiB_starts_on_a_cache_line()
    {
        var weight = Tensor.Zeros([256, 256], requiresGrad: true);
        var small = Tensor.Zeros([4, 256], requiresGrad: true);
        using (Tensor.Scope())
        {
            ((weight * 2f).Sum() + (small * 3f).Sum()).Backward();
        }

        AddressOf(weight.Grad!).Should().Be(AddressOf(weight.Grad!) / 64 * 64);
        weight.Grad!.ToArray().Should().OnlyContain(x => x == 2f);
        small.Grad!.ToArray().Should().OnlyContain(x => x == 3f);
    }

    private static long AddressOf(Tensor t) => (long)Unsafe.AsPointer(ref t.Data.GetPinnableReference());
}
