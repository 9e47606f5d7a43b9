using RlExperiments.Agents.Networks;
using RlExperiments.Tensors;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>
/// The damped Fisher–vector product <c>(F + c·I)·v</c> of a stochastic policy, averaged over a batch of observations,
/// computed without second derivatives: <c>F v = (1/B) Σ_i J_iᵀ M_i J_i v</c>, where <c>J_i</c> is the Jacobian of the
/// distribution parameters of sample i (the logits, or the Gaussian mean and log-std) with respect to the actor's
/// parameters θ and <c>M_i</c> the Fisher of the distribution in those parameters: <c>diag(p) − p pᵀ</c> for a
/// categorical with probabilities p, <c>1/σ²</c> for each Gaussian mean and 2 for each log-std. This F is the Hessian
/// of the mean <c>KL(π_θ_old ‖ π_θ)</c> at θ = θ_old, as TRPO uses.
/// </summary>
/// <remarks>
/// <c>J v</c> is a central finite difference of the network's outputs along v, <c>(f(θ + εv) − f(θ − εv)) / 2ε</c> with
/// <c>ε‖v‖ = 1e-3·(1 + ‖θ‖)</c>; θ is restored exactly afterwards (from a copy of its float values). The state-independent
/// log-std enters the outputs as itself, so its block is exact: <c>2·v_logstd</c>. <c>Jᵀ u</c> is one ordinary
/// backward pass through the actor with upstream gradient u. The product overwrites the actor parameters' gradients.
/// </remarks>
public sealed class FisherVectorProduct
{
    private readonly IStochasticPolicyNetwork _policy;
    private readonly Tensor[] _parameters;
    private readonly int _logStdOffset = -1;
    private readonly int _logStdCount;
    private readonly double[] _theta;
    private readonly double[] _gradients;
    private double[] _jv = [];
    private double[] _prob = [];

    /// <summary>Creates the product for <paramref name="policy"/> with respect to <paramref name="parameters"/>.</summary>
    /// <param name="policy">The policy network (categorical logits, or Gaussian mean with a state-independent log-std).</param>
    /// <param name="parameters">The actor's parameters, in flat-vector order; they must include the log-std of a Gaussian policy.</param>
    /// <param name="damping">The damping c added as <c>c·v</c>; Tianshou's and SB3's default 0.1. Must be ≥ 0.</param>
    /// <exception cref="ArgumentException">A Gaussian policy's log-std is not among the parameters.</exception>
    public FisherVectorProduct(IStochasticPolicyNetwork policy, IReadOnlyList<Tensor> parameters, double damping)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(parameters);
        ParamChecks.NonNegative(nameof(damping), damping);
        _policy = policy;
        _parameters = parameters.ToArray();
        Damping = damping;
        var offset = 0;
        foreach (var p in _parameters)
        {
            if (policy.LogStd is not null && ReferenceEquals(p, policy.LogStd))
            {
                _logStdOffset = offset;
                _logStdCount = p.Count;
            }
            offset += p.Count;
        }
        if (policy.IsContinuous && _logStdOffset < 0)
            throw new ArgumentException("A Gaussian policy's LogStd must be one of the parameters.", nameof(parameters));
        Size = offset;
        _theta = new double[offset];
        _gradients = new double[offset];
    }

    /// <summary>The length of θ and of the vectors multiplied.</summary>
    public int Size { get; }

    /// <summary>The damping c.</summary>
    public double Damping { get; }

    /// <summary>Computes <c>result = (F + c·I)·v</c> for the observations [B, obs] at the current parameters.</summary>
    /// <param name="observations">A batch of observations, [B, observation size].</param>
    /// <param name="v">A vector of <see cref="Size"/> entries.</param>
    /// <param name="result">Receives the product, <see cref="Size"/> entries.</param>
    public void Apply(Tensor observations, ReadOnlySpan<double> v, Span<double> result)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (v.Length != Size || result.Length != Size)
            throw new ArgumentException($"The Fisher–vector product needs vectors of {Size} entries; got {v.Length} and {result.Length}.");
        var rows = observations.Shape[0];
        var k = _policy.ActionOutputs;
        FlatParameters.Read(_parameters, _theta);

        // ‖θ‖ and ‖v‖ over the parameters the outputs depend on (the log-std block is handled exactly).
        double thetaNorm = 0, vNorm = 0;
        for (var i = 0; i < Size; i++)
        {
            if (InLogStd(i)) continue;
            thetaNorm += _theta[i] * _theta[i];
            vNorm += v[i] * v[i];
        }
        thetaNorm = Math.Sqrt(thetaNorm);
        vNorm = Math.Sqrt(vNorm);

        using var scope = Tensor.Scope();
        if (_jv.Length != rows * k) _jv = new double[rows * k]; // grows once per batch size, then reused
        var jv = _jv;
        if (vNorm > 0)
        {
            // J v ≈ (f(θ + εv) − f(θ − εv)) / 2ε, ε‖v‖ = 1e-3·(1 + ‖θ‖); θ restored exactly.
            var eps = 1e-3 * (1 + thetaNorm) / vNorm;
            using (Tensor.NoGrad())
            {
                try
                {
                    FlatParameters.WriteAxpy(_parameters, _theta, eps, v);
                    var plus = _policy.Forward(observations).Data;
                    for (var j = 0; j < jv.Length; j++) jv[j] = plus[j];
                    FlatParameters.WriteAxpy(_parameters, _theta, -eps, v);
                    var minus = _policy.Forward(observations).Data;
                    for (var j = 0; j < jv.Length; j++) jv[j] = (jv[j] - minus[j]) / (2 * eps);
                }
                finally
                {
                    FlatParameters.Write(_parameters, _theta);
                }
            }
        }

        // u_i = M_i (J v)_i / B, then Jᵀ u by one backward pass with upstream gradient u.
        foreach (var p in _parameters) p.ZeroGrad();
        var output = _policy.Forward(observations);
        var u = Tensor.Zeros([rows, k]);
        var ud = u.Data;
        var o = output.Data;
        if (_policy.IsContinuous)
        {
            // Gaussian mean: M = diag(1/σ²).
            var logStd = _policy.LogStd!.Data;
            for (var r = 0; r < rows; r++)
                for (var j = 0; j < k; j++)
                    ud[r * k + j] = (float)(jv[r * k + j] * Math.Exp(-2.0 * logStd[j]) / rows);
        }
        else
        {
            // Categorical logits: M = diag(p) − p pᵀ, so (M w)_j = p_j (w_j − Σ_l p_l w_l).
            if (_prob.Length != k) _prob = new double[k];
            var prob = _prob;
            for (var r = 0; r < rows; r++)
            {
                double max = double.NegativeInfinity, z = 0, pw = 0;
                for (var j = 0; j < k; j++) max = Math.Max(max, o[r * k + j]);
                for (var j = 0; j < k; j++) z += prob[j] = Math.Exp(o[r * k + j] - max);
                for (var j = 0; j < k; j++)
                {
                    prob[j] /= z;
                    pw += prob[j] * jv[r * k + j];
                }
                for (var j = 0; j < k; j++) ud[r * k + j] = (float)(prob[j] * (jv[r * k + j] - pw) / rows);
            }
        }
        if (output.RequiresGrad) output.Backward(u);
        FlatParameters.ReadGradients(_parameters, _gradients);

        // (F + c·I) v; the log-std block of F is 2·I (mean over the batch of a constant).
        for (var i = 0; i < Size; i++)
            result[i] = (InLogStd(i) ? 2.0 * v[i] : _gradients[i]) + Damping * v[i];
        foreach (var p in _parameters) p.ZeroGrad();
    }

    private bool InLogStd(int i) => _logStdOffset >= 0 && i >= _logStdOffset && i < _logStdOffset + _logStdCount;
}
