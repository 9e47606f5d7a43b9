namespace RlExperiments.Core;

/// <summary>
/// A lower bound on the memory one part of an experiment will allocate, with the field that sizes it (e.g.
/// an algorithm params record's <c>HiddenSizes</c>, <c>SamplingConfig.BufferSize</c>), so a refusal can say which setting to change.
/// </summary>
/// <param name="Field">The field that sizes the allocation, as the user wrote it.</param>
/// <param name="Value">The field's value, as shown in messages.</param>
/// <param name="Bytes">The lower bound in bytes (a double, so absurd sizes do not overflow).</param>
/// <param name="What">What is allocated (e.g. "network weights, gradients and Adam moments").</param>
public sealed record MemoryDemand(string Field, string Value, double Bytes, string What);
