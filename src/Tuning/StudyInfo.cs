namespace RlExperiments.Tuning;

/// <summary>What a study storage records about the study itself.</summary>
/// <param name="Name">The study name.</param>
/// <param name="Direction">Whether the objective is minimised or maximised.</param>
/// <param name="SpaceName">The <see cref="ConfigurationSpace.Name"/> the study searches.</param>
/// <param name="CreatedUtc">When the study was created (UTC).</param>
public sealed record StudyInfo(string Name, StudyDirection Direction, string SpaceName, DateTime CreatedUtc);
