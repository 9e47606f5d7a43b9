using System.Buffers.Binary;
using RlExperiments.Factories.Logging;

namespace RlExperiments.Factories.Tests;

public class TensorBoardWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void File_name_follows_tensorboard_pattern()
    {
        using var dir = new TempDir();
        using var writer = new TensorBoardWriter(dir.Path, timeProvider: new FixedTime(T0));
        var name = Path.GetFileName(writer.FilePath);
        name.Should().MatchRegex(@"^events\.out\.tfevents\.\d{10}\.[^.].*\.\d+\.\d+$");
        name.Should().StartWith($"events.out.tfevents.{T0.ToUnixTimeSeconds():D10}.");
        name.Split('.')[^2].Should().Be(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Path.GetDirectoryName(writer.FilePath).Should().Be(Path.GetFullPath(dir.Path));
    }

    [Fact]
    public void Two_writers_in_one_directory_get_distinct_files_and_suffix_is_appended()
    {
        using var dir = new TempDir();
        using var a = new TensorBoardWriter(dir.Path, timeProvider: new FixedTime(T0));
        using var b = new TensorBoardWriter(dir.Path, ".v2", new FixedTime(T0));
        a.FilePath.Should().NotBe(b.FilePath);
        b.FilePath.Should().EndWith(".v2");
    }

    [Fact]
    public void Written_scalars_read_back_with_tags_steps_values_and_wall_time()
    {
        using var dir = new TempDir();
        var clock = new FixedTime(T0);
        string path;
        using (var writer = new TensorBoardWriter(dir.Path, timeProvider: clock))
        {
            path = writer.FilePath;
            writer.Write("train/loss", 0.25, 0);
            clock.Now = T0.AddSeconds(1.5);
            writer.Write("test/return_mean", -123.456, 1000);
            writer.Write("train/ε", double.NaN, 1L << 40);
            writer.Write("x", 1e30, 7);
            writer.Flush();
        }

        var events = TensorBoardEventReader.ReadEvents(path);
        events.Should().HaveCount(5);
        events[0].FileVersion.Should().Be("brain.Event:2");
        events[0].Scalars.Should().BeEmpty();
        events[0].Offset.Should().Be(0);
        events[0].WallTime.Should().BeApproximately(T0.ToUnixTimeMilliseconds() / 1000.0, 1e-6);

        var scalars = TensorBoardEventReader.Read(path);
        scalars.Select(s => s.Tag).Should().Equal("train/loss", "test/return_mean", "train/ε", "x");
        scalars.Select(s => s.Step).Should().Equal(0, 1000, 1L << 40, 7);
        scalars[0].Value.Should().Be(0.25);
        scalars[1].Value.Should().Be((float)-123.456);
        double.IsNaN(scalars[2].Value).Should().BeTrue();
        scalars[3].Value.Should().Be((float)1e30);
        scalars[0].WallTime.Should().BeApproximately(T0.ToUnixTimeMilliseconds() / 1000.0, 1e-6);
        scalars[1].WallTime.Should().BeApproximately(T0.ToUnixTimeMilliseconds() / 1000.0 + 1.5, 1e-6);
    }

    [Fact]
    public void Records_have_tfrecord_framing_with_masked_crc32c()
    {
        using var dir = new TempDir();
        string path;
        using (var writer = new TensorBoardWriter(dir.Path, timeProvider: new FixedTime(T0)))
        {
            path = writer.FilePath;
            writer.Write("a", 1.0, 5);
        }
        var bytes = File.ReadAllBytes(path);
        var offset = 0;
        var records = new List<byte[]>();
        while (offset < bytes.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)).Should().Be(Crc32C.Mask(Crc32C.Compute(bytes.AsSpan(offset, 8))));
            var data = bytes.AsSpan(offset + 12, length).ToArray();
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + length)).Should().Be(Crc32C.Mask(Crc32C.Compute(data)));
            records.Add(data);
            offset += 12 + length + 4;
        }
        offset.Should().Be(bytes.Length);
        records.Should().HaveCount(2);

        var wall = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(wall, T0.ToUnixTimeSeconds());
        // Event { wall_time (1, fixed64), file_version (3, "brain.Event:2") }
        records[0].Should().Equal([0x09, .. wall, 0x1A, 13, .. "brain.Event:2"u8.ToArray()]);
        // Event { wall_time, step = 5, summary { value { tag = "a", simple_value = 1.0f } } }
        records[1].Should().Equal([0x09, .. wall, 0x10, 0x05, 0x2A, 0x0A, 0x0A, 0x08, 0x0A, 0x01, (byte)'a', 0x15, 0x00, 0x00, 0x80, 0x3F]);
    }

    [Fact]
    public void Corrupted_data_byte_is_reported_with_the_record_offset()
    {
        using var dir = new TempDir();
        var path = WriteThree(dir.Path, out var recordOffsets);
        var bytes = File.ReadAllBytes(path);
        bytes[recordOffsets[2] + 20] ^= 0x40; // inside record 2's data
        File.WriteAllBytes(path, bytes);

        var act = () => TensorBoardEventReader.Read(path);
        act.Should().Throw<InvalidDataException>()
            .WithMessage($"*record 2 at byte offset {recordOffsets[2]}*data CRC mismatch*")
            .And.Message.Should().Contain(path);
    }

    [Fact]
    public void Corrupted_length_is_reported_as_a_length_crc_mismatch()
    {
        using var dir = new TempDir();
        var path = WriteThree(dir.Path, out var recordOffsets);
        var bytes = File.ReadAllBytes(path);
        bytes[recordOffsets[1]] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var act = () => TensorBoardEventReader.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"*record 1 at byte offset {recordOffsets[1]}*length CRC mismatch*");
    }

    [Fact]
    public void Truncated_file_is_an_error_unless_a_truncated_tail_is_allowed()
    {
        using var dir = new TempDir();
        var path = WriteThree(dir.Path, out var recordOffsets);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var act = () => TensorBoardEventReader.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"*record 3 at byte offset {recordOffsets[3]}*truncated record*");
        TensorBoardEventReader.Read(path, allowTruncatedTail: true).Select(s => s.Tag).Should().Equal("a", "b");
    }

    [Fact]
    public void Reader_understands_tensorflow2_tensor_scalars_and_skips_other_values()
    {
        // Value { tag = "tf2", tensor (8) = TensorProto { dtype (1) = DT_FLOAT, tensor_content (4) = 2.5f } }
        var tensor = new List<byte> { 0x08, 0x01, 0x22, 0x04 };
        tensor.AddRange(BitConverter.GetBytes(2.5f));
        var value = new List<byte> { 0x0A, 0x03 };
        value.AddRange("tf2"u8.ToArray());
        value.Add(0x42); value.Add((byte)tensor.Count); value.AddRange(tensor);
        // Value { tag = "img", image (4) = { } } is skipped
        byte[] image = [0x0A, 0x03, .. "img"u8.ToArray(), 0x22, 0x00];
        var summary = new List<byte> { 0x0A, (byte)value.Count };
        summary.AddRange(value);
        summary.Add(0x0A); summary.Add((byte)image.Length); summary.AddRange(image);
        var evt = new List<byte> { 0x10, 0x03, 0x2A, (byte)summary.Count };
        evt.AddRange(summary);

        var events = TensorBoardEventReader.ParseEvents(Frame([.. evt]));
        events.Should().ContainSingle();
        events[0].Step.Should().Be(3);
        events[0].Scalars.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, double>("tf2", 2.5));
    }

    [Fact]
    public void Invalid_protobuf_inside_a_valid_record_is_reported()
    {
        var act = () => TensorBoardEventReader.ParseEvents(Frame([0x2A, 0x7F, 0x01]), "mem");
        act.Should().Throw<InvalidDataException>().WithMessage("*'mem': record 0 at byte offset 0: invalid Event message*");
    }

    [Fact]
    public void ReadDirectory_reads_every_event_file()
    {
        using var dir = new TempDir();
        using (var a = new TensorBoardWriter(dir.Path)) a.Write("a", 1, 1);
        using (var b = new TensorBoardWriter(dir.Path)) b.Write("b", 2, 2);
        TensorBoardEventReader.ReadDirectory(dir.Path).Select(s => s.Tag).Should().BeEquivalentTo("a", "b");
    }

    [Fact]
    public void Flush_makes_records_visible_to_readers_while_the_writer_is_open()
    {
        using var dir = new TempDir();
        using var writer = new TensorBoardWriter(dir.Path);
        writer.Write("a", 1, 1);
        writer.Flush();
        TensorBoardEventReader.Read(writer.FilePath).Should().ContainSingle(s => s.Tag == "a");
    }

    [Fact]
    public void Write_after_dispose_throws()
    {
        using var dir = new TempDir();
        var writer = new TensorBoardWriter(dir.Path);
        writer.Dispose();
        writer.Dispose();
        writer.Flush();
        var act = () => writer.Write("a", 1, 1);
        act.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Steady_state_write_allocates_nothing()
    {
        using var dir = new TempDir();
        using var writer = new TensorBoardWriter(dir.Path);
        for (var i = 0; i < 100; i++)
            writer.Write("train/episode_return", i, i);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5000; i++)
            writer.Write("train/episode_return", i, i);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
    }

    private static string WriteThree(string dir, out long[] recordOffsets)
    {
        string path;
        using (var writer = new TensorBoardWriter(dir))
        {
            path = writer.FilePath;
            writer.Write("a", 1, 1);
            writer.Write("b", 2, 2);
            writer.Write("c", 3, 3);
        }
        recordOffsets = TensorBoardEventReader.ReadEvents(path).Select(e => e.Offset).ToArray();
        recordOffsets.Should().HaveCount(4);
        return path;
    }

    private static byte[] Frame(byte[] data)
    {
        var record = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32C.ComputeMasked(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Crc32C.ComputeMasked(data));
        return record;
    }
}
