using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// A tanh-squashed Gaussian policy (SAC's, and the other maximum-entropy actor-critics'), laid out as Stable-Baselines3's SAC actor: a shared trunk (<c>latent_pi</c>) of
/// hidden layers, then a mean head (<c>mu</c>) and a log-standard-deviation head (<c>log_std</c>) whose output is
/// clamped to [LogStdMin, LogStdMax]. Actions are <c>tanh(u)</c>, <c>u ~ N(μ, σ)</c>, in (−1, 1).
/// </summary>
public sealed class TanhGaussianActor : Module
{
    private readonly Sequential _latent;
    private readonly Linear _mu;
    private readonly Linear _logStd;
    private readonly float _logStdMin;
    private readonly float _logStdMax;

    /// <summary>Builds the actor with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public TanhGaussianActor(int observationSize, IReadOnlyList<int> hiddenSizes, int actionSize, Activation activation,
        float logStdMin, float logStdMax, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (hiddenSizes.Count == 0) throw new ArgumentException("The SAC actor needs at least one hidden layer.", nameof(hiddenSizes));
        _latent = RegisterModule("latent_pi", new Sequential(Mlp.HiddenLayers(observationSize, hiddenSizes, activation, rng, out var width)));
        _mu = RegisterModule("mu", new Linear(width, actionSize, rng));
        _logStd = RegisterModule("log_std", new Linear(width, actionSize, rng));
        _logStdMin = logStdMin;
        _logStdMax = logStdMax;
        ActionSize = actionSize;
    }

    /// <summary>Action dimensions.</summary>
    public int ActionSize { get; }

    /// <summary>The pre-squash Gaussian's mean and clamped log-std, each <c>[B, actions]</c>.</summary>
    public (Tensor Mean, Tensor LogStd) Distribution(Tensor observations)
    {
        var h = _latent.Forward(observations);
        return (_mu.Forward(h), _logStd.Forward(h).Clamp(_logStdMin, _logStdMax));
    }

    /// <summary>The deterministic action <c>tanh(μ)</c> in (−1, 1), <c>[B, actions]</c>.</summary>
    public override Tensor Forward(Tensor input) => _mu.Forward(_latent.Forward(input)).Tanh();
}
