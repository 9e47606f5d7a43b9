using System.Globalization;
using RlExperiments.Environments;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Rendering.Gif;

namespace RlExperiments.Rendering;

/// <summary>
/// Records episodes as animated GIFs (Gymnasium's <c>RecordVideo</c> wrapper): for each episode the trigger selects, the frame
/// after Reset and after every Step is drawn with <see cref="EnvRendering.Render"/> and appended to
/// <c>&lt;folder&gt;/&lt;prefix&gt;-episode-&lt;n&gt;.gif</c>, which appears (atomically, under its final name) when the episode
/// ends, is cut short by the next Reset, or the recording is stopped.
/// </summary>
/// <remarks>
/// Put it outermost (above <see cref="TimeLimit"/>) so it sees truncations. Unselected episodes cost nothing; a recorded one
/// draws a frame per step, so keep it off training environments. Frames are encoded as they come, never held in memory.
/// </remarks>
public sealed class RecordVideo : Wrapper
{
    private readonly Func<int, bool> _episodeTrigger;
    private readonly Func<int, string> _fileName;
    private readonly List<string> _written = [];
    private Recording? _recording;
    private int _episode = -1;

    /// <summary>Wraps <paramref name="env"/>, recording into <paramref name="videoFolder"/>.</summary>
    /// <param name="env">The environment; <see cref="EnvRendering.CanRender"/> must hold for it.</param>
    /// <param name="videoFolder">Where the GIFs go (created when needed).</param>
    /// <param name="episodeTrigger">Which episodes (0-based, counted by Reset) to record; default Gymnasium's <see cref="CappedCubicSchedule"/>.</param>
    /// <param name="namePrefix">The file name prefix. Default <c>"rl-video"</c>, as Gymnasium's.</param>
    /// <param name="frameSeconds">Seconds each frame shows; default one over the environment's render fps (CartPole 0.02 s). Allowed: ≥ 0 (below 0.02 s plays at 0.02 s).</param>
    /// <param name="fileName">The file name of episode n inside the folder; default <c>&lt;prefix&gt;-episode-&lt;n&gt;.gif</c>.</param>
    /// <exception cref="NotSupportedException">No renderer is registered for the environment.</exception>
    public RecordVideo(Env env, string videoFolder, Func<int, bool>? episodeTrigger = null, string namePrefix = "rl-video",
        double? frameSeconds = null, Func<int, string>? fileName = null) : base(env)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(videoFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(namePrefix);
        var fps = EnvRendering.FramesPerSecond(env); // throws, naming the type, when it cannot be rendered
        FrameSeconds = frameSeconds ?? 1.0 / fps;
        GifWriter.DelayCentiseconds(FrameSeconds); // validates
        VideoFolder = Path.GetFullPath(videoFolder);
        _episodeTrigger = episodeTrigger ?? CappedCubicSchedule;
        _fileName = fileName ?? (n => $"{namePrefix}-episode-{n.ToString(CultureInfo.InvariantCulture)}.gif");
    }

    /// <summary>The folder the videos go to.</summary>
    public string VideoFolder { get; }

    /// <summary>Seconds each frame shows.</summary>
    public double FrameSeconds { get; }

    /// <summary>Whether an episode is being recorded now.</summary>
    public bool IsRecording => _recording is not null;

    /// <summary>The files written so far, oldest first.</summary>
    public IReadOnlyList<string> WrittenFiles => _written;

    /// <summary>
    /// Gymnasium's default trigger (<c>capped_cubic_video_schedule</c>): episodes 0, 1, 8, 27, … (perfect cubes) below 1000,
    /// then every 1000th.
    /// </summary>
    public static bool CappedCubicSchedule(int episode)
    {
        if (episode < 1000)
        {
            var root = (int)Math.Round(Math.Cbrt(episode));
            return root * root * root == episode;
        }
        return episode % 1000 == 0;
    }

    /// <inheritdoc />
    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        StopRecording();
        var info = Inner.Reset(observation, seed, options);
        _episode++;
        if (_episodeTrigger(_episode))
        {
            var frame = Inner.Render();
            _recording = new Recording(Path.Combine(VideoFolder, _fileName(_episode)), frame.Width, frame.Height);
            _recording.Writer.AddFrame(frame, FrameSeconds);
        }
        return info;
    }

    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation) => Record(Inner.Step(action, observation));

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => Record(Inner.Step(action, observation));

    /// <summary>Ends the current recording, if any, and moves its file into place (Gymnasium's <c>stop_recording</c>).</summary>
    public void StopRecording()
    {
        if (_recording is null) return;
        var recording = _recording;
        _recording = null;
        _written.Add(recording.Complete());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                StopRecording();
            }
            finally
            {
                base.Dispose(disposing);
            }
        }
    }

    private StepResult Record(StepResult result)
    {
        if (_recording is null) return result;
        _recording.Writer.AddFrame(Inner.Render(), FrameSeconds);
        if (result.Terminated || result.Truncated) StopRecording();
        return result;
    }

    /// <summary>One GIF being written to a temporary file beside its final name.</summary>
    private sealed class Recording
    {
        private readonly string _path;
        private readonly string _temp;

        public Recording(string path, int width, int height)
        {
            _path = path;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            Writer = new GifWriter(new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), width, height);
        }

        public GifWriter Writer { get; }

        public string Complete()
        {
            try
            {
                Writer.Dispose();
                File.Move(_temp, _path, overwrite: true);
                return _path;
            }
            catch
            {
                try { File.Delete(_temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw;
            }
        }
    }
}
