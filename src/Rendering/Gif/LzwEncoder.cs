namespace RlExperiments.Rendering.Gif;

/// <summary>
/// GIF's variable-length LZW over 8-bit palette indices (GIF89a spec, appendix F): codes start at 9 bits after a clear code,
/// grow to 12, and the table is cleared when full; the codes are packed least-significant bit first into sub-blocks of at
/// most 255 bytes.
/// </summary>
internal sealed class LzwEncoder
{
    private const int MinCodeSize = 8;
    private const int ClearCode = 1 << MinCodeSize; // 256
    private const int EndCode = ClearCode + 1;      // 257
    private const int MaxCodes = 1 << 12;           // 4096

    private readonly Dictionary<int, int> _table = new();
    private readonly byte[] _block = new byte[256];
    private int _blockLength;
    private int _bits;
    private int _bitCount;
    private int _codeSize;
    private int _nextCode;
    private Stream _out = Stream.Null;

    /// <summary>Writes the LZW minimum code size, the compressed <paramref name="indices"/> as data sub-blocks, and the block terminator.</summary>
    public void Encode(ReadOnlySpan<byte> indices, Stream output)
    {
        _out = output;
        _out.WriteByte(MinCodeSize);
        _bits = _bitCount = _blockLength = 0;
        Reset();
        Emit(ClearCode);
        var prefix = (int)indices[0];
        for (var p = 1; p < indices.Length; p++)
        {
            var k = indices[p];
            var key = (prefix << 8) | k;
            if (_table.TryGetValue(key, out var code))
            {
                prefix = code; // the string prefix + k is known: extend it
                continue;
            }
            Emit(prefix);
            if (_nextCode < MaxCodes)
            {
                _table[key] = _nextCode++;
                // The decoder adds this entry one code later; from the next code on it reads one bit more once the table outgrows the width.
                if (_nextCode > (1 << _codeSize) && _codeSize < 12) _codeSize++;
            }
            else
            {
                Emit(ClearCode);
                Reset();
            }
            prefix = k;
        }
        Emit(prefix);
        Emit(EndCode);
        if (_bitCount > 0) Byte((byte)_bits);
        FlushBlock();
        _out.WriteByte(0); // block terminator
        _out = Stream.Null;
    }

    private void Reset()
    {
        _table.Clear();
        _codeSize = MinCodeSize + 1;
        _nextCode = EndCode + 1;
    }

    private void Emit(int code)
    {
        _bits |= code << _bitCount;
        _bitCount += _codeSize;
        while (_bitCount >= 8)
        {
            Byte((byte)_bits);
            _bits >>= 8;
            _bitCount -= 8;
        }
    }

    private void Byte(byte value)
    {
        _block[1 + _blockLength++] = value;
        if (_blockLength == 255) FlushBlock();
    }

    private void FlushBlock()
    {
        if (_blockLength == 0) return;
        _block[0] = (byte)_blockLength;
        _out.Write(_block, 0, _blockLength + 1);
        _blockLength = 0;
    }
}
