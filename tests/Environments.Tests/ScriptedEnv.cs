using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// A user-style environment written against the bare <see cref="Env"/> contract: observation [t, last action[0]],
/// reward rewards[t % n], terminates after <c>terminateAfter</c> steps (if set). Records the actions it receives.
/// </summary>
public sealed class ScriptedEnv : Env
{
    private readonly double[] _rewards;
    private readonly int? _terminateAfter;
    private readonly EnvInfo _info = new();
    private int _t;

    public ScriptedEnv(double[] rewards, int? terminateAfter = null, Space? actionSpace = null)
    {
        _rewards = rewards;
        _terminateAfter = terminateAfter;
        ActionSpace = actionSpace ?? new Discrete(2);
    }

    public override Space ObservationSpace { get; } = new Box(-1000f, 1000f, 2);
    public override Space ActionSpace { get; }
    public override EnvInfo Info => _info;
    public List<float[]> ReceivedActions { get; } = [];
    public int? LastSeed { get; private set; }
    public bool Disposed { get; private set; }

    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        LastSeed = seed;
        _t = 0;
        _info.Clear();
        observation[0] = 0;
        observation[1] = 0;
        return _info;
    }

    public override StepResult Step(int action, Span<float> observation) => Advance(action, observation);

    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        ReceivedActions.Add(action.ToArray());
        return Advance(action[0], observation);
    }

    private StepResult Advance(float action, Span<float> observation)
    {
        _info.Clear();
        var reward = _rewards[_t % _rewards.Length];
        _t++;
        observation[0] = _t;
        observation[1] = action;
        return new StepResult(reward, _terminateAfter is { } k && _t >= k, false);
    }

    protected override void Dispose(bool disposing) => Disposed = true;
}
