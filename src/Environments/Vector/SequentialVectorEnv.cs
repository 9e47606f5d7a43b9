namespace RlExperiments.Environments.Vector;

/// <summary>
/// Steps its environments one after another on the calling thread (Gymnasium's <c>SyncVectorEnv</c>,
/// Stable-Baselines3's <c>DummyVecEnv</c>), with same-step auto-reset (see <see cref="VectorEnv"/>).
/// </summary>
/// <remarks>
/// The right choice for cheap environments: a classic-control step costs 0.03 - 0.4 µs, far less than
/// handing work to another thread. Measured on 2 cores with 8 environments: CartPole-v1 about 18x and
/// Acrobot-v1 about 4.6x faster than <see cref="ParallelVectorEnv"/> (see there for when parallel pays off).
/// </remarks>
public sealed class SequentialVectorEnv : VectorEnv
{
    /// <summary>Steps <paramref name="envs"/> together; they must share observation and action spaces and be distinct instances.</summary>
    public SequentialVectorEnv(IReadOnlyList<Env> envs) : base(envs) { }

    /// <summary>Creates <paramref name="numEnvs"/> environments with <paramref name="factory"/>(i).</summary>
    public SequentialVectorEnv(Func<int, Env> factory, int numEnvs) : base(Create(factory, numEnvs)) { }

    private protected override void Execute(VectorCommand command) => Run(command, 0, NumEnvs);

    internal static Env[] Create(Func<int, Env> factory, int numEnvs)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (numEnvs <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be at least 1.");
        return Enumerable.Range(0, numEnvs).Select(factory).ToArray();
    }
}
