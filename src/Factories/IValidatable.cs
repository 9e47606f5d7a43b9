namespace RlExperiments.Factories;

/// <summary>
/// A configuration record that can check its own fields. <see cref="Validate"/> throws on the first invalid
/// field with a message naming the record, the field, the value and the allowed range; builders call it at
/// <c>Build()</c> and the JSON reader calls it after loading, so a bad value fails at the edge, not mid-run.
/// </summary>
public interface IValidatable
{
    /// <summary>Throws <see cref="ArgumentException"/> (usually <see cref="ArgumentOutOfRangeException"/>) when a field is invalid.</summary>
    void Validate();
}
