namespace RlExperiments.Core;

/// <summary>
/// Marks a field of a saved record that a file may lack: a field added after files were first written, which takes its
/// documented default when missing. Every other field is required when a file is read, so a deleted line is an error
/// naming the field, not a silent default.
/// </summary>
/// <param name="since">The version of the framework (or file format) that added the field, for the documentation.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class OptionalInFileAttribute(string since) : Attribute
{
    /// <summary>The version that added the field.</summary>
    public string Since { get; } = since;
}
