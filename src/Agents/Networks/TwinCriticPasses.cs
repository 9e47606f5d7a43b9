using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RlExperiments.Tensors;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// The per-network passes of clipped double-Q learning (SAC), one part per Q-network, which <see cref="TensorParallel"/>
/// runs on two cores: each part is a whole pass through one network, so its weights, activations and gradients stay in
/// one core's caches (splitting every matrix product across cores instead moves operands and results between them).
/// Results are copied into tensors this object owns, so they outlive the parts' scopes; the gradients are the same bits
/// as one backward pass through <c>s · (mean((Q₁ − y)²) + mean((Q₂ − y)²))</c>, whatever the thread count.
/// </summary>
/// <remarks>Keep one instance per agent: a call allocates nothing once the worker threads exist.</remarks>
public sealed class TwinCriticPasses : IParallelWork
{
    private readonly TwinQCritic _critic;
    private readonly TwinQCritic _target;
    private readonly float _lossScale;
    private readonly float[] _meanSquaredErrors = new float[2];
    // Σg² of each critic parameter after Train, in the order of critic.Parameters() (Q₁'s, then Q₂'s); each part
    // writes its network's range, starting at _firstParameter[part].
    private readonly float[] _gradientSumsOfSquares;
    private readonly IReadOnlyList<Tensor>[] _networkParameters;
    private readonly int[] _firstParameter;
    private readonly Tensor[] _inputs;
    private readonly TensorArena[] _arenas = [new(), new()];
    private readonly TensorScope?[] _policyScopes = new TensorScope?[2];
    private readonly Tensor?[] _policyQ = new Tensor?[2];
    private Pass _pass;
    private Tensor? _observations, _actions, _y, _seed1, _seed2;

    private enum Pass { Target, Train, PolicyForward, PolicyBackward }

    /// <summary>Passes through <paramref name="critic"/> (trained) and <paramref name="target"/> (evaluated) on batches of <paramref name="batchSize"/> rows.</summary>
    /// <param name="critic">The critics whose gradients <see cref="Train"/> adds to.</param>
    /// <param name="target">The target critics <see cref="Target"/> evaluates.</param>
    /// <param name="batchSize">Rows of every batch passed in.</param>
    /// <param name="lossScale">s in each critic's loss s · mean((Qⱼ − y)²): ½ for SAC's ½ Σⱼ MSE, 1 for TD3's Σⱼ MSE.</param>
    public TwinCriticPasses(TwinQCritic critic, TwinQCritic target, int batchSize, float lossScale)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        (_critic, _target, _lossScale) = (critic, target, lossScale);
        Q1 = Tensor.Zeros([batchSize, 1]);
        Q2 = Tensor.Zeros([batchSize, 1]);
        _networkParameters = [critic.QNetwork(0).Parameters(), critic.QNetwork(1).Parameters()];
        _firstParameter = [0, _networkParameters[0].Count];
        var all = critic.Parameters();
        if (!all.SequenceEqual(_networkParameters[0].Concat(_networkParameters[1]), ReferenceEqualityComparer.Instance))
            throw new ArgumentException("The twin critic's parameters must be Q₁'s followed by Q₂'s.", nameof(critic));
        _gradientSumsOfSquares = new float[all.Count];
        var inputSize = critic.InputSize;
        _inputs = [Tensor.Zeros([batchSize, inputSize], requiresGrad: true), Tensor.Zeros([batchSize, inputSize], requiresGrad: true)];
        InputGradient = Tensor.Zeros([batchSize, inputSize]);
    }

    /// <summary>∂(Σᵢ g₁ᵢ Q₁ᵢ + g₂ᵢ Q₂ᵢ)/∂[s, a] of the last <see cref="PolicyBackward"/>, <c>[B, obs + act]</c>.</summary>
    public Tensor InputGradient { get; }

    /// <summary>Q₁ (or Q₁' after <see cref="Target"/>) of the last call, <c>[B, 1]</c>.</summary>
    public Tensor Q1 { get; }

    /// <summary>Q₂ (or Q₂' after <see cref="Target"/>) of the last call, <c>[B, 1]</c>.</summary>
    public Tensor Q2 { get; }

    /// <summary>
    /// Σg² of each critic parameter's gradient after the last <see cref="Train"/>, in the order of the critic's
    /// <c>Parameters()</c>, for <see cref="Tensors.Optim.GradClip.ClipGradNorm(IReadOnlyList{Tensor}, ReadOnlySpan{float}, double)"/>:
    /// each part sums its own network's gradients on its core, where they were just written.
    /// </summary>
    public ReadOnlySpan<float> GradientSumsOfSquares => _gradientSumsOfSquares;

    /// <summary>mean((Q₁ − y)²) of the last <see cref="Train"/>.</summary>
    public float MeanSquaredError1 => _meanSquaredErrors[0];

    /// <summary>mean((Q₂ − y)²) of the last <see cref="Train"/>.</summary>
    public float MeanSquaredError2 => _meanSquaredErrors[1];

    /// <summary>Q₁'(s', a') and Q₂'(s', a') of the target critics, without gradient, into <see cref="Q1"/> and <see cref="Q2"/>.</summary>
    public void Target(Tensor nextObservations, Tensor nextActions) => Run(Pass.Target, nextObservations, nextActions, y: null);

    /// <summary>
    /// Adds the gradient of s · mean((Qⱼ(s, a) − y)²) to each critic's parameters (zero them first, as before any backward
    /// pass) and writes Qⱼ(s, a) into <see cref="Q1"/> and <see cref="Q2"/>. <paramref name="y"/> must not require grad.
    /// </summary>
    public void Train(Tensor observations, Tensor actions, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.RequiresGrad) throw new ArgumentException("The critics' target y must not require grad: compute it under Tensor.NoGrad().", nameof(y));
        Run(Pass.Train, observations, actions, y);
    }

    /// <summary>
    /// The actor's step, first half: Q₁(s, a) and Q₂(s, a) of the critics as they are (freeze their parameters first,
    /// as the actor's loss must not train them) into <see cref="Q1"/> and <see cref="Q2"/>, each network's graph kept for
    /// <see cref="PolicyBackward"/>. The actions' values are read; no gradient reaches them until the caller adds
    /// <see cref="InputGradient"/> to its own graph.
    /// </summary>
    public void PolicyForward(Tensor observations, Tensor actions) => Run(Pass.PolicyForward, observations, actions, y: null);

    /// <summary>
    /// The actor's step, second half: back-propagates the seeds ∂J/∂Q₁ and ∂J/∂Q₂ (<c>[B, 1]</c> each) through the graphs
    /// <see cref="PolicyForward"/> kept, and writes the sum of the two networks' gradients with respect to their input
    /// [s, a] into <see cref="InputGradient"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No <see cref="PolicyForward"/> precedes this call.</exception>
    public void PolicyBackward(Tensor seed1, Tensor seed2)
    {
        ArgumentNullException.ThrowIfNull(seed1);
        ArgumentNullException.ThrowIfNull(seed2);
        if (_policyQ[0] is null || _policyQ[1] is null)
            throw new InvalidOperationException("PolicyBackward needs the graphs of a PolicyForward that has not been back-propagated yet.");
        (_pass, _seed1, _seed2) = (Pass.PolicyBackward, seed1, seed2);
        try
        {
            TensorParallel.Run(this, 2);
        }
        finally
        {
            (_seed1, _seed2) = (null, null);
        }
        TensorPrimitives.Add(_inputs[0].Grad!.Data, _inputs[1].Grad!.Data, InputGradient.Data);
    }

    private void Run(Pass pass, Tensor observations, Tensor actions, Tensor? y)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(actions);
        if (observations.Shape[0] != Q1.Shape[0] || actions.Shape[0] != Q1.Shape[0])
            throw new ArgumentException($"Batches must have {Q1.Shape[0]} rows; got observations {observations.ShapeString} and actions {actions.ShapeString}.", nameof(observations));
        (_pass, _observations, _actions, _y) = (pass, observations, actions, y);
        try
        {
            TensorParallel.Run(this, 2);
        }
        finally
        {
            (_observations, _actions, _y) = (null, null, null);
        }
    }

    /// <summary>One network's pass: part 0 is Q₁, part 1 is Q₂ (run by <see cref="TensorParallel"/>).</summary>
    void IParallelWork.Run(int part)
    {
        if (_pass is Pass.PolicyForward or Pass.PolicyBackward)
        {
            PolicyPass(part);
            return;
        }
        using var scope = Tensor.Scope();
        var output = part == 0 ? Q1 : Q2;
        var x = Tensor.Cat(_observations!, _actions!);
        if (_pass == Pass.Target)
        {
            using var noGrad = Tensor.NoGrad();
            _target.QNetwork(part).Forward(x).Data.CopyTo(output.Data);
            return;
        }
        var q = _critic.QNetwork(part).Forward(x);
        var meanSquaredError = Functional.MseLoss(q, _y!);
        (_lossScale * meanSquaredError).Backward();
        q.Data.CopyTo(output.Data);
        _meanSquaredErrors[part] = meanSquaredError.Item();
        var parameters = _networkParameters[part];
        for (var i = 0; i < parameters.Count; i++)
            _gradientSumsOfSquares[_firstParameter[part] + i] = parameters[i].Grad is { } g ? TensorPrimitives.SumOfSquares(g.Data) : 0f;
    }

    // The actor's passes keep each network's graph from the forward to the backward call in that network's arena, so
    // either call may run on either thread.
    private void PolicyPass(int part)
    {
        using var arena = _arenas[part].Activate();
        if (_pass == Pass.PolicyBackward)
        {
            try
            {
                _policyQ[part]!.Backward(part == 0 ? _seed1 : _seed2);
            }
            finally
            {
                _policyQ[part] = null;
                _policyScopes[part]!.Value.Dispose();
                _policyScopes[part] = null;
            }
            return;
        }

        // A forward whose backward never came (an exception in between) leaves its scope open: close it first.
        _policyScopes[part]?.Dispose();
        _policyQ[part] = null;
        _policyScopes[part] = Tensor.Scope();
        var input = _inputs[part];
        using (Tensor.NoGrad()) Tensor.Cat(_observations!, _actions!).Data.CopyTo(input.Data);
        input.ZeroGrad();
        var q = _critic.QNetwork(part).Forward(input);
        q.Data.CopyTo((part == 0 ? Q1 : Q2).Data);
        _policyQ[part] = q;
    }
}
