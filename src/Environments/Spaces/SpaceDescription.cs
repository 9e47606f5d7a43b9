namespace RlExperiments.Environments.Spaces;

/// <summary>
/// A plain, JSON-friendly description of a <see cref="Space"/>. Box bounds are per element with
/// <c>null</c> standing for an infinite bound (minus infinity in <see cref="Low"/>, plus infinity in
/// <see cref="High"/>), because JSON has no infinity.
/// </summary>
/// <param name="Type">"Discrete" or "Box".</param>
/// <param name="Shape">The element shape (<c>[]</c> for Discrete).</param>
/// <param name="Dtype">The element type as Gymnasium names it: "int64" for Discrete, "float32" for Box.</param>
/// <param name="N">Discrete only: the number of values.</param>
/// <param name="Start">Discrete only: the smallest value.</param>
/// <param name="Low">Box only: the flattened lower bounds, <c>null</c> for minus infinity.</param>
/// <param name="High">Box only: the flattened upper bounds, <c>null</c> for plus infinity.</param>
public sealed record SpaceDescription(
    string Type,
    int[] Shape,
    string Dtype,
    int? N = null,
    int? Start = null,
    float?[]? Low = null,
    float?[]? High = null);
