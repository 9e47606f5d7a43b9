namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// A saved experiment file (or JSON text) could not be read: invalid JSON, an unsupported format version, the
/// wrong kind of document, a type not on the allow-list, a missing or unknown field, or an invalid value. The
/// message names the file, the location and what was expected.
/// </summary>
public sealed class ExperimentJsonException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExperimentJsonException(string message, Exception? innerException = null, string? source = null,
        string? jsonPath = null, int? lineNumber = null, int? linePosition = null)
        : base(message, innerException)
    {
        SourceName = source;
        JsonPath = jsonPath;
        LineNumber = lineNumber;
        LinePosition = linePosition;
    }

    /// <summary>The file path (or "JSON text") the document came from.</summary>
    public string? SourceName { get; }

    /// <summary>The JSON path of the offending element, when known (e.g. <c>payload.logger</c>).</summary>
    public string? JsonPath { get; }

    /// <summary>The 1-based line of the offending element, when known.</summary>
    public int? LineNumber { get; }

    /// <summary>The 1-based position within the line, when known.</summary>
    public int? LinePosition { get; }
}
