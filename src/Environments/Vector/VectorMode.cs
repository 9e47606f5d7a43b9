namespace RlExperiments.Environments.Vector;

/// <summary>How a <see cref="VectorEnv"/> made by <see cref="EnvRegistry.MakeVec"/> steps its environments.</summary>
public enum VectorMode
{
    /// <summary>One after another on the calling thread (<see cref="SequentialVectorEnv"/>): best for cheap environments such as the classic-control ones.</summary>
    Sequential,

    /// <summary>Spread over persistent worker threads (<see cref="ParallelVectorEnv"/>): pays off only when one step costs tens of microseconds or more.</summary>
    Parallel,
}
