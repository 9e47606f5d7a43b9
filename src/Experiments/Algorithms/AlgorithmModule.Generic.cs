namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// An <see cref="AlgorithmModule"/> whose default factory is <typeparamref name="TFactory"/>'s parameterless one: the
/// name, the default factory and the persisted type come from it, so a module states only its description and spaces.
/// </summary>
/// <typeparam name="TFactory">The algorithm's factory record.</typeparam>
public abstract class AlgorithmModule<TFactory> : AlgorithmModule where TFactory : AlgorithmFactory, new()
{
    /// <inheritdoc />
    public override string Name => CreateDefault().AlgorithmName;

    /// <inheritdoc />
    public override AlgorithmFactory CreateDefault() => new TFactory();

    /// <inheritdoc />
    public override IReadOnlyList<Type> PersistedTypes => [typeof(TFactory)];
}
