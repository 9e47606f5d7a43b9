using System.Text;
using RlExperiments.Factories.Logging;

namespace RlExperiments.Factories.Tests;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_E3069283() =>
        Crc32C.Compute("123456789"u8).Should().Be(0xE3069283u);

    [Fact]
    public void Rfc3720_iscsi_vectors()
    {
        Crc32C.Compute(new byte[32]).Should().Be(0x8A9136AAu);
        Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()).Should().Be(0x62A8AB43u);
        Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()).Should().Be(0x46DD794Eu);
        Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()).Should().Be(0x113FDB5Cu);
    }

    [Fact]
    public void Empty_input_is_zero() => Crc32C.Compute([]).Should().Be(0u);

    [Fact]
    public void Slicing_by_8_matches_a_bitwise_reference_for_every_length_and_split()
    {
        var rng = new Random(7);
        for (var length = 0; length < 70; length++)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            var expected = Bitwise(data);
            Crc32C.Compute(data).Should().Be(expected, $"length {length}");
            for (var split = 0; split <= length; split += 5)
                Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)).Should().Be(expected);
        }
    }

    [Fact]
    public void Mask_matches_tensorflow_formula_and_unmask_inverts_it()
    {
        foreach (var crc in new uint[] { 0, 1, 0xE3069283, 0xFFFFFFFF, 0x12345678 })
        {
            var expected = unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
            Crc32C.Mask(crc).Should().Be(expected);
            Crc32C.Unmask(Crc32C.Mask(crc)).Should().Be(crc);
        }
        Crc32C.ComputeMasked(Encoding.ASCII.GetBytes("123456789")).Should().Be(Crc32C.Mask(0xE3069283));
    }

    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
