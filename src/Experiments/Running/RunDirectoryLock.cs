using System.Globalization;
using System.Text.Json;
using RlExperiments.Core;

namespace RlExperiments.Experiments;

/// <summary>
/// One run directory, one process: the lock a run or a resume holds for its lifetime, the file <c>.lock</c> in the run
/// directory. It is created exclusively and whole (written to a temporary file, then moved to <c>.lock</c> without
/// overwriting, which fails if it exists) and names its holder: pid, machine, the process identity
/// (<see cref="ProcessIdentity"/>), when it was taken and a token. <see cref="Dispose"/> deletes it. A lock whose holder
/// is certainly gone (killed, crashed: <see cref="ProcessIdentity.Check"/> says <see cref="ProcessLiveness.Gone"/>) is
/// stale and taken over; taking over happens under a second exclusive file (<c>.lock.takeover</c>), so two processes
/// that find the same stale lock cannot both take it.
/// </summary>
internal sealed class RunDirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the run directory.</summary>
    public const string FileName = ".lock";

    private const string TakeoverFileName = ".lock.takeover";

    /// <summary>Who holds a lock (the lock file's content).</summary>
    internal sealed record Holder(int Pid, string Machine, string ProcessIdentity, string AcquiredUtc, string Operation, string Token);

    private readonly string _path;
    private readonly string _token;
    private bool _released;

    private RunDirectoryLock(string path, string token, Holder? tookOverFrom)
    {
        _path = path;
        _token = token;
        TookOverFrom = tookOverFrom;
    }

    /// <summary>The stale lock this one replaced (its holder is gone), or null.</summary>
    public Holder? TookOverFrom { get; }

    /// <summary>Whether <paramref name="fileName"/> (a name inside a run directory) belongs to the lock, not to a run.</summary>
    public static bool IsLockFile(string fileName) => fileName.StartsWith(FileName, StringComparison.Ordinal);

    /// <summary>Takes the lock of <paramref name="directory"/> (which must exist) for <paramref name="operation"/> ("run", "resume").</summary>
    /// <exception cref="IOException">Another live process (or, when that cannot be told, a process on another machine) holds it: "... is in use by process P on machine M ...".</exception>
    public static RunDirectoryLock Acquire(string directory, string operation)
    {
        var path = Path.Combine(directory, FileName);
        var mine = new Holder(Environment.ProcessId, Environment.MachineName, ProcessIdentity.Current,
            DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), operation, Guid.NewGuid().ToString("N"));
        Holder? tookOver = null;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (TryCreate(path, mine)) return new RunDirectoryLock(path, mine.Token, tookOver);
            var holder = Read(path);
            if (holder is null) continue; // released in the meantime: try again
            if (ProcessIdentity.Check(holder.Machine, holder.Pid, holder.ProcessIdentity) != ProcessLiveness.Gone)
                throw InUse(directory, path, holder);
            TakeOver(directory, path, holder, mine);
            tookOver = holder;
        }
        throw new IOException($"Could not take the lock '{path}' of the run directory '{directory}': it kept changing hands; try again.");
    }

    /// <summary>Deletes the lock file if it is still this lock's (idempotent).</summary>
    public void Dispose()
    {
        if (_released) return;
        _released = true;
        if (Read(_path)?.Token == _token) File.Delete(_path);
    }

    private static IOException InUse(string directory, string path, Holder h) => new(
        $"The run directory '{directory}' is in use by process {h.Pid} on machine {h.Machine} ({h.Operation} since {h.AcquiredUtc}); " +
        $"one process per run directory. Nothing was written. Wait for it to finish, or choose another name; if you are sure no process " +
        $"uses the directory (e.g. the machine {h.Machine} is not this one and the process is gone), delete '{path}'.");

    /// <summary>Creates <paramref name="path"/> with <paramref name="holder"/>'s content if it does not exist; false if it does.</summary>
    /// <remarks>
    /// O_CREAT|O_EXCL (<see cref="FileMode.CreateNew"/>) is the atomic test-and-create. <c>File.Move(..., overwrite: false)</c>
    /// is not: on Linux .NET checks for the target and then renames, and two threads racing it both won 345 times in 2,000.
    /// The content is one small write, so a reader can only see the file empty for an instant (<see cref="Read"/> waits).
    /// </remarks>
    private static bool TryCreate(string path, Holder holder)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        using (stream)
        {
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(holder));
            stream.Flush(flushToDisk: true);
        }
        return true;
    }

    /// <summary>The holder named by <paramref name="path"/>, or null when it does not exist.</summary>
    /// <exception cref="IOException">The file exists but is not a lock file (the message names it).</exception>
    private static Holder? Read(string path)
    {
        string text;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try { text = File.ReadAllText(path); }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
            // Empty: its creator is between creating and writing it (TryCreate); a lock left empty by a crash is reported below.
            if (text.Length > 0 || clock.Elapsed > TimeSpan.FromSeconds(2)) break;
            Thread.Sleep(5);
        }
        try
        {
            return JsonSerializer.Deserialize<Holder>(text) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new IOException($"The run directory lock '{path}' is unreadable ({e.Message}); if no process uses the run directory, delete it.", e);
        }
    }

    /// <summary>Removes the stale lock of <paramref name="stale"/>'s holder, under the take-over file, if it is still that lock.</summary>
    private static void TakeOver(string directory, string path, Holder stale, Holder mine)
    {
        var guard = Path.Combine(directory, TakeoverFileName);
        if (!TryCreate(guard, mine))
        {
            var other = Read(guard);
            if (other is not null && ProcessIdentity.Check(other.Machine, other.Pid, other.ProcessIdentity) == ProcessLiveness.Gone)
                throw new IOException(
                    $"The run directory '{directory}' has a stale lock ('{path}', process {stale.Pid} on {stale.Machine} is gone) and an interrupted " +
                    $"take-over of it ('{guard}', process {other.Pid} is gone too). Nothing was written; delete both files and try again.");
            Thread.Sleep(20); // another process is taking it over right now; the caller tries again
            return;
        }
        try
        {
            if (Read(path)?.Token == stale.Token) File.Delete(path);
        }
        finally
        {
            File.Delete(guard);
        }
    }
}
