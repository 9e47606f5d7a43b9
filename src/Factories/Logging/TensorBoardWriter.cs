using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using RlExperiments.Agents.Training;

namespace RlExperiments.Factories.Logging;

/// <summary>
/// Writes scalars as a TensorBoard event file, <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;counter&gt;</c>,
/// readable by TensorBoard, <c>tensorboard.backend.event_processing</c>, tbparse and
/// <see cref="TensorBoardEventReader"/>. The environment step is TensorBoard's step.
/// </summary>
/// <remarks>
/// <para>Format: TFRecord framing (uint64 LE length, uint32 LE masked CRC-32C of the length bytes, the data,
/// uint32 LE masked CRC-32C of the data). The first record is an <c>Event</c> holding the wall time and
/// <c>file_version = "brain.Event:2"</c>; every <see cref="Write"/> adds an <c>Event</c> with the wall time, the
/// step and a <c>Summary</c> holding one <c>Value { tag, simple_value }</c> (float32, as
/// <c>SummaryWriter.add_scalar</c> writes it).</para>
/// <para><see cref="Write"/> encodes into a reused buffer and allocates nothing (the buffer grows only for a
/// tag longer than any before). Records go to a 64 KiB file buffer; <see cref="Flush"/> pushes them to disk.
/// Thread-safe. Dispose to close the file.</para>
/// </remarks>
public sealed class TensorBoardWriter : IMetricsSink, IDisposable
{
    /// <summary>The file version of the first event, as TensorFlow and TensorBoard write it.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The prefix of every event file name.</summary>
    public const string FilePrefix = "events.out.tfevents.";

    private const int HeaderSize = 12;
    private const int FooterSize = 4;
    private static int s_counter;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private FileStream? _stream;
    private byte[] _buffer = new byte[256];

    /// <summary>Creates <paramref name="directory"/> if needed and opens a new event file in it.</summary>
    /// <param name="directory">The run directory TensorBoard is pointed at (<c>tensorboard --logdir</c>).</param>
    /// <param name="fileNameSuffix">Appended to the file name (TensorBoard's <c>filename_suffix</c>); empty for none.</param>
    /// <param name="timeProvider">The clock for wall times; <see cref="TimeProvider.System"/> when null.</param>
    public TensorBoardWriter(string directory, string fileNameSuffix = "", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(fileNameSuffix);
        if (fileNameSuffix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"fileNameSuffix \"{fileNameSuffix}\" contains characters not allowed in a file name.", nameof(fileNameSuffix));
        _time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(directory);
        var now = _time.GetUtcNow();
        var counter = Interlocked.Increment(ref s_counter) - 1;
        var fileName = string.Create(CultureInfo.InvariantCulture,
            $"{FilePrefix}{now.ToUnixTimeSeconds():D10}.{HostName()}.{Environment.ProcessId}.{counter}{fileNameSuffix}");
        FilePath = Path.GetFullPath(Path.Combine(directory, fileName));
        _stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        WriteFileVersion(WallTime(now));
        _stream.Flush(flushToDisk: false);
    }

    /// <summary>The full path of the event file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public void Write(string tag, double value, long envStep)
    {
        ArgumentNullException.ThrowIfNull(tag);
        lock (_lock)
        {
            var stream = _stream ?? throw new ObjectDisposedException(nameof(TensorBoardWriter));
            var tagBytes = Encoding.UTF8.GetByteCount(tag);
            // Value { tag = 1 (string), simple_value = 2 (float) }
            var valueSize = 1 + Protobuf.VarintSize((ulong)tagBytes) + tagBytes + 5;
            // Summary { value = 1 (repeated Value) }
            var summarySize = 1 + Protobuf.VarintSize((ulong)valueSize) + valueSize;
            // Event { wall_time = 1 (double), step = 2 (int64), summary = 5 (Summary) }
            var eventSize = 9 + (envStep == 0 ? 0 : 1 + Protobuf.VarintSize((ulong)envStep))
                + 1 + Protobuf.VarintSize((ulong)summarySize) + summarySize;
            var data = Reserve(eventSize);
            var p = Protobuf.WriteDouble(data, 1, WallTime(_time.GetUtcNow()));
            if (envStep != 0)
            {
                p += Protobuf.WriteKey(data[p..], 2, Protobuf.WireVarint);
                p += Protobuf.WriteVarint(data[p..], (ulong)envStep);
            }
            p += Protobuf.WriteKey(data[p..], 5, Protobuf.WireLengthDelimited);
            p += Protobuf.WriteVarint(data[p..], (ulong)summarySize);
            p += Protobuf.WriteKey(data[p..], 1, Protobuf.WireLengthDelimited);
            p += Protobuf.WriteVarint(data[p..], (ulong)valueSize);
            p += Protobuf.WriteKey(data[p..], 1, Protobuf.WireLengthDelimited);
            p += Protobuf.WriteVarint(data[p..], (ulong)tagBytes);
            p += Encoding.UTF8.GetBytes(tag, data[p..]);
            p += Protobuf.WriteFloat(data[p..], 2, (float)value);
            System.Diagnostics.Debug.Assert(p == eventSize);
            WriteRecord(stream, eventSize);
        }
    }

    /// <summary>Writes buffered records to the file and flushes the file to disk.</summary>
    public void Flush()
    {
        lock (_lock)
            _stream?.Flush(flushToDisk: true);
    }

    /// <summary>Flushes and closes the file. Further writes throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stream is null)
                return;
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            _stream = null;
        }
    }

    private void WriteFileVersion(double wallTime)
    {
        var versionBytes = Encoding.UTF8.GetByteCount(FileVersion);
        var eventSize = 9 + 1 + Protobuf.VarintSize((ulong)versionBytes) + versionBytes;
        var data = Reserve(eventSize);
        var p = Protobuf.WriteDouble(data, 1, wallTime);
        p += Protobuf.WriteKey(data[p..], 3, Protobuf.WireLengthDelimited);
        p += Protobuf.WriteVarint(data[p..], (ulong)versionBytes);
        Encoding.UTF8.GetBytes(FileVersion, data[p..]);
        WriteRecord(_stream!, eventSize);
    }

    /// <summary>Returns the data region of the record buffer, sized for <paramref name="dataSize"/> bytes.</summary>
    private Span<byte> Reserve(int dataSize)
    {
        var total = HeaderSize + dataSize + FooterSize;
        if (_buffer.Length < total)
            _buffer = new byte[Math.Max(total, _buffer.Length * 2)];
        return _buffer.AsSpan(HeaderSize, dataSize);
    }

    private void WriteRecord(FileStream stream, int dataSize)
    {
        var record = _buffer.AsSpan(0, HeaderSize + dataSize + FooterSize);
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)dataSize);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], Crc32C.ComputeMasked(record[..8]));
        BinaryPrimitives.WriteUInt32LittleEndian(record[(HeaderSize + dataSize)..], Crc32C.ComputeMasked(record.Slice(HeaderSize, dataSize)));
        stream.Write(record);
    }

    private static double WallTime(DateTimeOffset now) =>
        (now - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private static string HostName()
    {
        string name;
        try { name = System.Net.Dns.GetHostName(); }
        catch (System.Net.Sockets.SocketException) { name = Environment.MachineName; }
        if (string.IsNullOrWhiteSpace(name))
            name = "localhost";
        var invalid = Path.GetInvalidFileNameChars();
        return string.Create(name.Length, name, (span, n) =>
        {
            for (var i = 0; i < n.Length; i++)
                span[i] = Array.IndexOf(invalid, n[i]) >= 0 ? '_' : n[i];
        });
    }
}
