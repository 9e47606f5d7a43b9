using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FluentAssertions;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// The pool behind <see cref="Tensor.Scope"/> hands out storage that is likely in the cache (the most recently rented
/// first) and, from 4 KiB, aligned to a cache line: properties the kernels' speed rests on, invisible in any value.
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
        for (int round = 0; round < 3; round++)
        {
            using var scope = Tensor.Scope();
            foreach (int[] shape in new[] { new[] { 256, 256 }, new[] { 1024 }, new[] { 33, 37 } })
            {
                var t = Tensor.Full(shape, 1f) * 2f;
                AddressOf(t).Should().Be(AddressOf(t) / 64 * 64, $"shape [{string.Join(", ", shape)}], round {round}");
                t.ToArray().Should().OnlyContain(x => x == 2f);
            }

            var small = Tensor.Full([1023], 1f);
            small._offset.Should().Be(0, "smaller tensors are not padded");
            small._data.Length.Should().Be(1023);
        }
    }

    private static long AddressOf(Tensor t) => (long)Unsafe.AsPointer(ref t.Data.GetPinnableReference());
}
