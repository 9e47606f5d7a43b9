namespace RlExperiments.Tuning;

/// <summary>Reading a study back from its directory, for reporting.</summary>
public static class Study
{
    /// <summary>Reads the study in <paramref name="directory"/> (its <c>study.db</c>) without changing it.</summary>
    /// <param name="directory">A study directory written by <see cref="HyperparameterOptimizer"/>.</param>
    /// <exception cref="FileNotFoundException">The directory holds no <c>study.db</c>.</exception>
    /// <exception cref="InvalidDataException">The database holds no study.</exception>
    public static StudyResult Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        var db = Path.Combine(full, SqliteStudyStorage.FileName);
        if (!File.Exists(db))
            throw new FileNotFoundException($"'{full}' holds no study: {SqliteStudyStorage.FileName} is missing. Pass the StudyDirectory a HyperparameterOptimizer wrote.", db);
        using var storage = new SqliteStudyStorage(db);
        var study = storage.GetStudy() ?? throw new InvalidDataException($"{db} holds no study record.");
        return new StudyResult(full, study, storage.GetTrials());
    }

    /// <summary>Whether <paramref name="directory"/> holds a study database.</summary>
    /// <param name="directory">Directory.</param>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, SqliteStudyStorage.FileName));
}
