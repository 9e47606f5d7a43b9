using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// A policy network that can compile its forward passes for acting (<see cref="InferencePlan"/>: no autodiff, no tensor
/// objects), so an agent acts without the module machinery when the network allows it.
/// </summary>
internal interface IActingPlans
{
    /// <summary>
    /// Plans for the policy output and V(s) over batches of up to <paramref name="maxBatch"/> rows, or null when the network
    /// is not a pair of plain layer stacks (a shared trunk, or injected modules a plan cannot run).
    /// </summary>
    (InferencePlan Policy, InferencePlan Value)? CompileActing(int maxBatch);
}
