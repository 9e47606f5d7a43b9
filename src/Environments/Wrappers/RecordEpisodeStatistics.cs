using System.Diagnostics;

namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Tracks each episode's return and length (Gymnasium's <c>RecordEpisodeStatistics</c>): at the step where an
/// episode ends (terminated or truncated), <see cref="EnvInfo.Episode"/> holds
/// <c>(Return, Length, Time)</c>, Gymnasium's <c>info["episode"] = {"r", "l", "t"}</c>, and the last
/// <c>bufferLength</c> episodes are kept in <see cref="ReturnQueue"/>, <see cref="LengthQueue"/> and
/// <see cref="TimeQueue"/>. Allocates nothing per step.
/// </summary>
/// <remarks>Put it below reward-changing wrappers (e.g. <see cref="NormalizeReward"/>) to record raw returns.</remarks>
public sealed class RecordEpisodeStatistics : Wrapper
{
    private readonly RingBuffer<double> _returns;
    private readonly RingBuffer<int> _lengths;
    private readonly RingBuffer<double> _times;
    private long _episodeStart;

    /// <summary>Wraps <paramref name="env"/>, remembering the last <paramref name="bufferLength"/> episodes.</summary>
    public RecordEpisodeStatistics(Env env, int bufferLength = 100) : base(env)
    {
        _returns = new RingBuffer<double>(bufferLength);
        _lengths = new RingBuffer<int>(bufferLength);
        _times = new RingBuffer<double>(bufferLength);
    }

    /// <summary>The return accumulated so far in the current episode.</summary>
    public double EpisodeReturn { get; private set; }

    /// <summary>The steps taken so far in the current episode.</summary>
    public int EpisodeLength { get; private set; }

    /// <summary>The number of finished episodes.</summary>
    public int EpisodeCount { get; private set; }

    /// <summary>Returns of the most recent finished episodes, oldest first.</summary>
    public IReadOnlyList<double> ReturnQueue => _returns;

    /// <summary>Lengths of the most recent finished episodes, oldest first.</summary>
    public IReadOnlyList<int> LengthQueue => _lengths;

    /// <summary>Wall-clock durations (s) of the most recent finished episodes, oldest first.</summary>
    public IReadOnlyList<double> TimeQueue => _times;

    /// <inheritdoc />
    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var info = Inner.Reset(observation, seed, options);
        _episodeStart = Stopwatch.GetTimestamp();
        EpisodeReturn = 0.0;
        EpisodeLength = 0;
        return info;
    }

    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation) => Record(Inner.Step(action, observation));

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) => Record(Inner.Step(action, observation));

    /// <summary>Writes the running episode's return and length (the queues of finished episodes are informational and not saved).</summary>
    public override void WriteCheckpointState(BinaryWriter writer)
    {
        writer.Write(EpisodeReturn);
        writer.Write(EpisodeLength);
        writer.Write(EpisodeCount);
        Inner.WriteCheckpointState(writer);
    }

    /// <inheritdoc />
    public override void ReadCheckpointState(BinaryReader reader)
    {
        EpisodeReturn = reader.ReadDouble();
        EpisodeLength = reader.ReadInt32();
        EpisodeCount = reader.ReadInt32();
        _episodeStart = Stopwatch.GetTimestamp();
        Inner.ReadCheckpointState(reader);
    }

    private StepResult Record(StepResult result)
    {
        EpisodeReturn += result.Reward;
        EpisodeLength++;
        if (result.Terminated || result.Truncated)
        {
            var now = Stopwatch.GetTimestamp();
            var time = Math.Round(Stopwatch.GetElapsedTime(_episodeStart, now).TotalSeconds, 6);
            Info.SetEpisode(new EpisodeStatistics(EpisodeReturn, EpisodeLength, time));
            _returns.Add(EpisodeReturn);
            _lengths.Add(EpisodeLength);
            _times.Add(time);
            EpisodeCount++;
            _episodeStart = now;
        }
        return result;
    }
}
