using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Training;

namespace RlExperiments.Experiments.Logging;

/// <summary>
/// The training progress display: a metrics-sink decorator that sees every scalar (and so the environment step) and
/// reports epoch, environment steps, steps per second, the last and best test return and the estimated time left.
/// On an interactive console it redraws one status line (at most 4 times a second) and logs one line per epoch; when
/// the output is redirected (CI, files) it only logs the per-epoch lines, which then read as plain log lines.
/// </summary>
internal sealed class ProgressDisplay : IMetricsSink
{
    private readonly IMetricsSink _inner;
    private readonly ILogger _logger;
    private readonly int _numEpochs;
    private readonly long _totalSteps;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _envStep;
    private int _epoch = 1;
    private double _lastTest = double.NaN;
    private double _bestTest = double.NaN;
    private long _lastDraw;
    private int _lineLength;

    public ProgressDisplay(IMetricsSink inner, ILogger logger, int numEpochs, long totalSteps, bool interactive)
    {
        _inner = inner;
        _logger = logger;
        _numEpochs = numEpochs;
        _totalSteps = totalSteps;
        _interactive = interactive;
    }

    /// <summary>Whether the console accepts a redrawn status line: standard output is not redirected.</summary>
    public static bool ConsoleIsInteractive => !Console.IsOutputRedirected;

    public void Write(string tag, double value, long envStep)
    {
        _inner.Write(tag, value, envStep);
        _envStep = Math.Max(_envStep, envStep);
        if (tag == "test/return_mean")
        {
            _lastTest = value;
            if (double.IsNaN(_bestTest) || value > _bestTest) _bestTest = value;
        }
        if (_interactive)
        {
            var now = _clock.ElapsedMilliseconds;
            if (now - _lastDraw >= 250)
            {
                _lastDraw = now;
                Draw(Line());
            }
        }
    }

    public void Flush() => _inner.Flush();

    /// <summary>Called at the end of each epoch: logs the epoch's line.</summary>
    public void EpochEnded(EpochInfo info)
    {
        _envStep = Math.Max(_envStep, info.EnvSteps);
        if (!double.IsNaN(info.TestReturnMean)) _lastTest = info.TestReturnMean;
        if (!double.IsNaN(info.BestTestReturn)) _bestTest = info.BestTestReturn;
        _epoch = info.Epoch;
        Clear();
        _logger.LogInformation("{Progress}", Line());
        _epoch = info.Epoch + 1;
    }

    /// <summary>Removes the status line (before other output).</summary>
    public void Clear()
    {
        if (!_interactive || _lineLength == 0) return;
        Console.Out.Write("\r" + new string(' ', _lineLength) + "\r");
        Console.Out.Flush();
        _lineLength = 0;
    }

    internal string Line()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? _envStep / seconds : 0;
        var eta = rate > 0 && _totalSteps > _envStep ? TimeSpan.FromSeconds((_totalSteps - _envStep) / rate) : TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {Math.Min(_epoch, _numEpochs)}/{_numEpochs} | env steps {_envStep:N0}/{_totalSteps:N0} | {rate:N0} steps/s | last test {Format(_lastTest)} | best {Format(_bestTest)} | ETA {eta:hh\\:mm\\:ss}");
    }

    private void Draw(string line)
    {
        var padded = line.Length < _lineLength ? line + new string(' ', _lineLength - line.Length) : line;
        Console.Out.Write("\r" + padded);
        Console.Out.Flush();
        _lineLength = line.Length;
    }

    private static string Format(double value) => double.IsNaN(value) ? "-" : value.ToString("0.##", CultureInfo.InvariantCulture);
}
