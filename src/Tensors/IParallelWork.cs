namespace RlExperiments.Tensors;

/// <summary>
/// Tensor work made of independent parts that <see cref="TensorParallel.Run"/> may compute on different threads at once,
/// e.g. one part per critic of SAC or TD3. Implement it on an object kept for the whole training run, so that a call
/// allocates nothing.
/// </summary>
public interface IParallelWork
{
    /// <summary>
    /// Computes part <paramref name="part"/> (0-based). It may run on any thread, so it opens its own
    /// <see cref="Tensor.Scope"/> (and <see cref="Tensor.NoGrad"/> where it needs one: both are per thread), reads only
    /// what no other part writes, and copies every result that must outlive it into tensors or arrays the caller owns.
    /// </summary>
    void Run(int part);
}
