using System.Text;
using RlExperiments.Core;

namespace RlExperiments.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rlx-atomic-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Write_creates_missing_folders_and_leaves_only_the_target()
    {
        var path = Path.Combine(_dir, "a", "b", "data.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        File.ReadAllBytes(path).Should().Equal(1, 2, 3);
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().Equal(path);
    }

    [Fact]
    public void Write_replaces_an_existing_file_whole()
    {
        var path = Path.Combine(_dir, "data.bin");
        AtomicFile.Write(path, s => s.Write(new byte[1000]));
        AtomicFile.Write(path, s => s.Write([7]));
        File.ReadAllBytes(path).Should().Equal(7);
        Directory.GetFiles(_dir).Should().Equal(path);
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_and_no_temporary_file()
    {
        var path = Path.Combine(_dir, "keep.txt");
        AtomicFile.WriteAllText(path, "old");
        var act = () => AtomicFile.Write(path, s =>
        {
            s.Write([1, 2, 3]);
            throw new InvalidOperationException("writer failed");
        });
        act.Should().Throw<InvalidOperationException>().WithMessage("writer failed", "the writer's own exception reaches the caller");
        File.ReadAllText(path).Should().Be("old");
        Directory.GetFiles(_dir).Should().Equal(path);
    }

    [Fact]
    public void A_failing_first_write_creates_nothing()
    {
        var path = Path.Combine(_dir, "new.txt");
        var act = () => AtomicFile.Write(path, _ => throw new IOException("disk full"));
        act.Should().Throw<IOException>().WithMessage("disk full");
        File.Exists(path).Should().BeFalse();
        Directory.GetFiles(_dir).Should().BeEmpty();
    }

    [Fact]
    public void The_writer_gets_a_writable_stream_of_a_temporary_file_beside_the_target()
    {
        var path = Path.Combine(_dir, "t.bin");
        string? seen = null;
        AtomicFile.Write(path, s =>
        {
            s.CanWrite.Should().BeTrue();
            seen = ((FileStream)s).Name;
            File.Exists(path).Should().BeFalse("the target appears only when the content is complete");
        });
        Path.GetDirectoryName(seen).Should().Be(_dir);
        Path.GetFileName(seen).Should().StartWith(".t.bin.").And.EndWith(".tmp");
        File.Exists(seen).Should().BeFalse();
    }

    [Fact]
    public void WriteAllText_writes_utf8_without_a_byte_order_mark()
    {
        var path = Path.Combine(_dir, "text.json");
        AtomicFile.WriteAllText(path, "héllo");
        File.ReadAllBytes(path).Should().Equal(Encoding.UTF8.GetBytes("héllo"));
    }
}
