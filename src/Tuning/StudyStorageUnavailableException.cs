namespace RlExperiments.Tuning;

/// <summary>
/// The study storage could not be opened: the server is unreachable, refuses the credentials, or the database is not
/// usable. The message names the storage URL without its password.
/// </summary>
public sealed class StudyStorageUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the redacted URL.</param>
    /// <param name="inner">The driver's exception.</param>
    public StudyStorageUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
