namespace RlExperiments.Tuning;

/// <summary>Whether the objective is minimised or maximised.</summary>
public enum StudyDirection
{
    /// <summary>Lower values are better.</summary>
    Minimize,
    /// <summary>Higher values are better.</summary>
    Maximize,
}
