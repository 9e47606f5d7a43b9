namespace RlExperiments.Core;

/// <summary>
/// Something that describes a multilayer network by its hidden-layer widths (a params record or a model factory): the
/// capability the memory estimate at <c>Build()</c> and at restore reads, so every algorithm whose params or factories
/// implement it is covered without being named.
/// </summary>
public interface IHiddenLayers
{
    /// <summary>Hidden-layer widths, input side first.</summary>
    IReadOnlyList<int> HiddenSizes { get; }
}
