using RlExperiments.Environments.Spaces;

namespace RlExperiments.Agents.ContinuousControl;

/// <summary>
/// The linear map from (−1, 1) to a bounded Box's bounds that the continuous-control actor-critics share (SAC, DDPG,
/// TD3, as Stable-Baselines3's <c>unscale_action</c>): actions are produced and stored in (−1, 1) and rescaled for the
/// environment. Allocates nothing per call.
/// </summary>
internal sealed class BoxActionScale
{
    private readonly float[] _low;
    private readonly float[] _scale;

    /// <summary>The map for <paramref name="box"/>, whose bounds must be finite.</summary>
    public BoxActionScale(Box box)
    {
        ArgumentNullException.ThrowIfNull(box);
        Size = box.FlatSize;
        _low = box.Low.ToArray();
        _scale = new float[Size];
        for (var i = 0; i < Size; i++) _scale[i] = 0.5f * (box.High[i] - box.Low[i]);
    }

    /// <summary>Action dimensions.</summary>
    public int Size { get; }

    /// <summary>Rescales every row of <paramref name="actions"/> in place: a ∈ (−1, 1) → low + (a + 1)·(high − low)/2.</summary>
    public void Unscale(Span<float> actions)
    {
        for (var i = 0; i < actions.Length; i++)
        {
            var j = i % Size;
            actions[i] = _low[j] + (actions[i] + 1f) * _scale[j];
        }
    }
}
