
namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// A marker for callbacks that are code (lambdas) rather than data: they run like any other callback but cannot be
/// saved in <c>experiment.json</c>. <c>Experiment.Save</c> names them and refuses (unless told to drop them).
/// </summary>
public interface ICodeCallback
{
    /// <summary>A description for messages, e.g. the delegate's method name.</summary>
    string Description { get; }
}
