namespace RlExperiments.Tensors.Optim;

/// <summary>
/// AdamW (Loshchilov and Hutter), as <c>torch.optim.AdamW</c>: Adam without L2 in the gradient, and
/// decoupled decay <c>θ ← θ(1 − lr·λ)</c> applied before the Adam step. PyTorch's default λ is 0.01.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay)
{
    /// <inheritdoc />
    protected override bool Decoupled => true;
}
