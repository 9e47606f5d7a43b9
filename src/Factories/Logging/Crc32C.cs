namespace RlExperiments.Factories.Logging;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing, and TensorFlow's
/// mask for checksums stored next to the data they cover. Table-driven (slicing-by-8).
/// </summary>
/// <remarks>
/// Written here because the System.IO.Hashing version pinned for this repository (10.0) only offers the
/// IEEE CRC-32 polynomial; its parameterised CRCs (with a CRC-32C preset) arrive in .NET 11.
/// Check value: <c>Compute("123456789"u8) == 0xE3069283</c>.
/// </remarks>
public static class Crc32C
{
    /// <summary>The reflected Castagnoli polynomial.</summary>
    public const uint Polynomial = 0x82F63B78u;

    /// <summary>The constant TensorFlow adds when masking a checksum.</summary>
    public const uint MaskDelta = 0xA282EAD8u;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a finished CRC of earlier bytes, 0 for none) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var t = Table;
        var c = ~crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var lo = c ^ (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            c = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >> 8) & 0xFF)] ^
                t[5 * 256 + ((lo >> 16) & 0xFF)] ^ t[4 * 256 + (lo >> 24)] ^
                t[3 * 256 + data[i + 4]] ^ t[2 * 256 + data[i + 5]] ^
                t[1 * 256 + data[i + 6]] ^ t[data[i + 7]];
        }
        for (; i < data.Length; i++)
            c = t[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    /// <summary>TensorFlow's masked form of a checksum: <c>((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8</c>.</summary>
    public static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);

    /// <summary>Undoes <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        var rot = unchecked(masked - MaskDelta);
        return (rot >> 17) | (rot << 15);
    }

    /// <summary>The masked CRC-32C of <paramref name="data"/>, as stored in TFRecord files.</summary>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        for (var n = 0; n < 256; n++)
            for (var s = 1; s < 8; s++)
                table[s * 256 + n] = table[table[(s - 1) * 256 + n] & 0xFF] ^ (table[(s - 1) * 256 + n] >> 8);
        return table;
    }
}
