using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Factories;

/// <summary>Which set of environments an <see cref="EnvFactory"/> is creating (Tianshou's <c>EnvMode</c>).</summary>
public enum EnvMode
{
    /// <summary>The training environments.</summary>
    Train,

    /// <summary>The test (evaluation) environments.</summary>
    Test,

    /// <summary>The single environment for watching the trained agent.</summary>
    Watch,
}

/// <summary>
/// Creates the training, test and watch environments of an experiment from a registered id and keyword
/// arguments (Tianshou's <c>EnvFactoryRegistered</c>, Gymnasium's <c>gym.make(id, **kwargs)</c>). Data only:
/// serialisable, created late by <see cref="Create"/>.
/// </summary>
/// <remarks>
/// <para><b>Seeding.</b> The environment seeds come from <see cref="SeedStreams.EnvironmentSeeds"/> of the experiment
/// seed (the one place they are derived; see there): training environment i is reset with <c>Train + i</c>, test
/// environment j with <c>Test + j</c>, and the seed ranges never overlap. The seeds are recorded in
/// <see cref="EnvironmentSet.Seeds"/>, which the trainers are given.</para>
/// <para><b>Custom environments.</b> Register a factory under an id (<see cref="EnvRegistry.Register(string, Func{EnvKwargs, Env}, int?, double?, IReadOnlyList{string}?)"/>,
/// or <c>services.AddRlExperiments(o =&gt; o.RegisterEnv(...))</c>) and name it here. To add wrappers, derive a
/// record from this one, override <see cref="Wrap"/>, and allow-list the derived type for persistence.</para>
/// </remarks>
public record EnvFactory : IValidatable
{
    private readonly IReadOnlyDictionary<string, object?> _kwargs = Factories.Kwargs.Empty;
    private readonly IReadOnlyDictionary<string, object?>? _testKwargs;

    /// <summary>The registered environment id, e.g. <c>"CartPole-v1"</c>. Required. Allowed: an id known to the registry passed to <see cref="Create"/>.</summary>
    public required string EnvId { get; init; }

    /// <summary>
    /// Keyword arguments for every environment (Gymnasium's <c>**kwargs</c>), e.g. <c>{"g": 9.81}</c> for
    /// Pendulum-v1 or <c>{"max_episode_steps": 100}</c>. Default: empty. Allowed: parameters the registered
    /// environment accepts; values null, booleans, integers (kept as <see cref="long"/>), numbers (kept as
    /// <see cref="double"/>) and strings.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Kwargs
    {
        get => _kwargs;
        init => _kwargs = Factories.Kwargs.Normalize(value, $"{nameof(EnvFactory)}.{nameof(Kwargs)}");
    }

    /// <summary>
    /// Keyword arguments for the test and watch environments, replacing (not merged into) <see cref="Kwargs"/>.
    /// Default: null, meaning the same as <see cref="Kwargs"/>. Allowed: as <see cref="Kwargs"/>.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? TestKwargs
    {
        get => _testKwargs;
        init => _testKwargs = value is null ? null : Factories.Kwargs.Normalize(value, $"{nameof(EnvFactory)}.{nameof(TestKwargs)}");
    }

    /// <summary>How the training and test vector environments step. Default: <see cref="VectorMode.Sequential"/> (best for cheap environments). Allowed: Sequential, Parallel.</summary>
    public VectorMode VectorMode { get; init; } = VectorMode.Sequential;

    /// <summary>The kwargs used for <paramref name="mode"/>: <see cref="TestKwargs"/> (when set) for test and watch, otherwise <see cref="Kwargs"/>.</summary>
    public IReadOnlyDictionary<string, object?> KwargsFor(EnvMode mode) =>
        mode == EnvMode.Train ? Kwargs : TestKwargs ?? Kwargs;

    /// <inheritdoc />
    public virtual void Validate()
    {
        FieldCheck.NotEmpty(nameof(EnvFactory), nameof(EnvId), EnvId);
        if (!Enum.IsDefined(VectorMode))
            throw FieldCheck.OutOfRange(nameof(EnvFactory), nameof(VectorMode), VectorMode, "Sequential or Parallel");
    }

    /// <summary>
    /// Creates and seeds the environments: <paramref name="numTrainEnvs"/> training and <paramref name="numTestEnvs"/>
    /// test environments as vector environments, and one watch environment. The vector environments are reset
    /// with their seeds and the watch environment is reset with its seed, so later unseeded resets continue
    /// seeded streams.
    /// </summary>
    /// <param name="numTrainEnvs">Training environments; at least 1.</param>
    /// <param name="numTestEnvs">Test environments; 0 for none (then <see cref="EnvironmentSet.Test"/> is null).</param>
    /// <param name="seed">The experiment seed; the environment seeds derive from it (see the remarks).</param>
    /// <param name="registry">Where <see cref="EnvId"/> is looked up; <see cref="EnvRegistry.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Unknown id or kwarg (the registry's message, listing what is known), or an invalid field.</exception>
    public EnvironmentSet Create(int numTrainEnvs, int numTestEnvs, int seed, EnvRegistry? registry = null)
    {
        Validate();
        if (numTrainEnvs < 1)
            throw new ArgumentOutOfRangeException(nameof(numTrainEnvs), numTrainEnvs, $"numTrainEnvs = {numTrainEnvs} is invalid; allowed: an integer ≥ 1.");
        if (numTestEnvs < 0)
            throw new ArgumentOutOfRangeException(nameof(numTestEnvs), numTestEnvs, $"numTestEnvs = {numTestEnvs} is invalid; allowed: an integer ≥ 0.");
        registry ??= EnvRegistry.Default;
        var spec = registry.Spec(EnvId);
        var seeds = SeedStreams.FromSeed(seed).EnvironmentSeeds(numTrainEnvs, numTestEnvs);

        VectorEnv? train = null, test = null;
        Env? watch = null;
        try
        {
            train = registry.MakeVec(EnvId, numTrainEnvs, VectorMode, KwargsFor(EnvMode.Train), e => Wrap(e, EnvMode.Train));
            if (numTestEnvs > 0)
                test = registry.MakeVec(EnvId, numTestEnvs, VectorMode, KwargsFor(EnvMode.Test), e => Wrap(e, EnvMode.Test));
            watch = Wrap(registry.Make(EnvId, KwargsFor(EnvMode.Watch)), EnvMode.Watch);
            train.Reset(seeds.Train);
            test?.Reset(seeds.Test);
            watch.Reset(new float[watch.ObservationSize], seeds.Watch);
            var effectiveSpec = train.Envs[0].Spec ?? spec;
            return new EnvironmentSet(EnvId, train, test, watch, effectiveSpec, seeds);
        }
        catch
        {
            train?.Dispose();
            test?.Dispose();
            watch?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Wraps each environment after it is made (Tianshou's <c>_create_env(mode)</c> hook). The default returns
    /// <paramref name="env"/> unchanged; derived factories add wrappers such as observation normalisation.
    /// </summary>
    protected virtual Env Wrap(Env env, EnvMode mode) => env;

    /// <summary>Structural equality: kwargs compare by content, ignoring order.</summary>
    public virtual bool Equals(EnvFactory? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && EqualityContract == other.EqualityContract &&
         string.Equals(EnvId, other.EnvId, StringComparison.Ordinal) &&
         Factories.Kwargs.AreEqual(Kwargs, other.Kwargs) &&
         Factories.Kwargs.AreEqual(TestKwargs, other.TestKwargs) &&
         VectorMode == other.VectorMode);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(EqualityContract, EnvId, Factories.Kwargs.GetHashCode(Kwargs), Factories.Kwargs.GetHashCode(TestKwargs), VectorMode);

    /// <summary>Prints kwargs by content rather than by type name.</summary>
    protected virtual bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append($"EnvId = {EnvId}, Kwargs = {Factories.Kwargs.Format(Kwargs)}, TestKwargs = {Factories.Kwargs.Format(TestKwargs)}, VectorMode = {VectorMode}");
        return true;
    }
}
