using System.Reflection;
using Newtonsoft.Json;
using RlExperiments.Agents;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Factories.Optim;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The algorithm part of an experiment (Tianshou's <c>AlgorithmFactory</c>): the algorithm's params, its model
/// factories and the optimiser factory, as data. Created by the builders and saved in <c>experiment.json</c>; the agent
/// and the trainer are created from it late, when a run starts and the spaces are known. Every shared part of the
/// framework reaches an algorithm through this type and its <see cref="AlgorithmModule"/>; see
/// <c>docs/adding-an-algorithm.md</c>.
/// </summary>
public abstract record AlgorithmFactory : IValidatable
{
    /// <summary>
    /// Creates the optimisers of the networks from their parameters and the params' learning rate. Default: null, meaning
    /// each algorithm's own choice (Adam with PyTorch's defaults unless the params say otherwise, e.g. PPO's Adam ε).
    /// </summary>
    public OptimizerFactory? OptimizerFactory { get; init; }

    /// <summary>The algorithm's name, e.g. "DQN": its module's name in the <see cref="AlgorithmRegistry"/>.</summary>
    [JsonIgnore]
    public abstract string AlgorithmName { get; }

    /// <summary>The type of agent <see cref="CreateAgent"/> returns, so callbacks can check its capabilities (e.g. <see cref="IEpsilonGreedy"/>) at <c>Build()</c>.</summary>
    [JsonIgnore, System.Text.Json.Serialization.JsonIgnore]
    public abstract Type AgentType { get; }

    /// <summary>The algorithm's default number of epochs and environment steps per epoch (when the sampling config sets none).</summary>
    [JsonIgnore]
    public abstract (int NumEpochs, int EpochNumSteps) DefaultSchedule { get; }

    /// <inheritdoc />
    public virtual void Validate() => OptimizerFactory?.Validate();

    /// <summary>Throws when <paramref name="sampling"/> sets a field that does not apply to this algorithm.</summary>
    public abstract void CheckApplicable(SamplingConfig sampling);

    /// <summary>Throws when the algorithm cannot act in these spaces (the message names the algorithm and the space).</summary>
    public abstract void CheckSpaces(Space observationSpace, Space actionSpace, string envId);

    /// <summary>Validates the params after the sampling overrides were applied; throws naming the field.</summary>
    public abstract void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train);

    /// <summary>Creates the agent for the run's spaces, seeded with <paramref name="seed"/> (split by <c>SeedStreams</c>).</summary>
    public abstract IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed);

    /// <summary>
    /// Creates the trainer for <paramref name="agent"/> (one created by <see cref="CreateAgent"/>), on the given
    /// environments and with their seeds. Off-policy agents write their update metrics at most every
    /// <paramref name="metricsInterval"/> environment steps (on-policy: every rollout).
    /// </summary>
    public abstract ITrainer CreateTrainer(IAgent agent, TrainerEnvironments envs, TrainerConfig config, TrainerCallbacks callbacks,
        IMetricsSink metrics, int metricsInterval = 1000);

    /// <summary>
    /// A copy whose params take the hyperparameters of <paramref name="configuration"/> (a configuration of the
    /// algorithm's search space, e.g. a study's best; keys it lacks keep the current params) and, when given, the network
    /// of <paramref name="nas"/> (a configuration of the module's NAS space). Throws naming a key or value the params
    /// cannot express.
    /// </summary>
    public abstract AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null);

    /// <summary>
    /// The same algorithm with the sampling overrides folded into its params (its model factories unchanged): what the
    /// AutoRL environment rebuilds at every step from a configuration, with no sampling config of its own.
    /// </summary>
    public abstract AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs);

    /// <summary>
    /// The model factories of this algorithm (every public property whose type is an <see cref="IModelFactory"/>), by
    /// property name, in declaration order; null slots are left out. The network lives only there, never in the params.
    /// </summary>
    public IReadOnlyList<(string Name, IModelFactory Factory)> ModelFactories() =>
        ModelFactoryProperties(GetType())
            .Select(p => (p.Name, Factory: p.GetValue(this) as IModelFactory))
            .Where(m => m.Factory is not null)
            .Select(m => (m.Name, m.Factory!))
            .ToArray();

    /// <summary>
    /// A copy whose model factories take the network of <paramref name="nas"/> (a configuration of the module's NAS space:
    /// <c>hidden_size</c> h → two hidden layers of width h, <c>activation</c> tanh | relu), applied to every model factory
    /// (<see cref="INasNetwork"/>); null or empty returns this factory.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown key or a value outside what the space allows.</exception>
    /// <exception cref="NotSupportedException">A model factory that a NAS configuration cannot describe (not an <see cref="INasNetwork"/>).</exception>
    protected AlgorithmFactory WithNas(Configuration? nas, ConfigurationSpace nasSpace)
    {
        var (hidden, activation) = MappingSupport.Nas(nas, nasSpace, AlgorithmName);
        if (hidden is null && activation is null) return this;
        var copy = this with { };
        foreach (var property in ModelFactoryProperties(GetType()))
        {
            var factory = property.GetValue(copy);
            if (factory is null) continue;
            if (factory is not INasNetwork shaped)
                throw new NotSupportedException(
                    $"{GetType().Name}.{property.Name} is a {factory.GetType().Name}, whose network a NAS configuration cannot describe; allowed: the default model factories (INasNetwork).");
            property.SetValue(copy, shaped.WithNas(hidden, activation));
        }
        return copy;
    }

    /// <summary>
    /// A copy whose model factories have the hidden-layer widths <paramref name="netArch"/> (a preset's
    /// <c>net_arch</c>, rl-baselines3-zoo's <c>policy_kwargs</c>); null returns this factory.
    /// </summary>
    /// <exception cref="NotSupportedException">A model factory whose widths cannot be set (not an <see cref="INasNetwork"/>).</exception>
    public AlgorithmFactory WithNetArch(IReadOnlyList<int>? netArch)
    {
        if (netArch is null) return this;
        var copy = this with { };
        foreach (var property in ModelFactoryProperties(GetType()))
        {
            var factory = property.GetValue(copy);
            if (factory is null) continue;
            if (factory is not INasNetwork shaped)
                throw new NotSupportedException(
                    $"{GetType().Name}.{property.Name} is a {factory.GetType().Name}, whose hidden layers a preset's net_arch cannot set; allowed: the default model factories (INasNetwork).");
            property.SetValue(copy, shaped.WithNetArch(netArch));
        }
        return copy;
    }

    /// <summary>
    /// The NAS configuration (<c>activation</c>, <c>hidden_size</c>) that describes this algorithm's model factories:
    /// the inverse of the NAS part of <see cref="WithConfiguration"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The networks are not two equal hidden layers, differ between the factories, or use an activation other than Tanh or ReLU.</exception>
    /// <exception cref="NotSupportedException">A model factory that a NAS configuration cannot describe.</exception>
    public Configuration NasConfiguration()
    {
        IReadOnlyList<int>? sizes = null;
        Tensors.Nn.Activation? activation = null;
        string? first = null;
        foreach (var (name, factory) in ModelFactories())
        {
            if (factory is not INasNetwork shaped)
                throw new NotSupportedException(
                    $"{GetType().Name}.{name} is a {factory.GetType().Name}, whose network a NAS configuration cannot describe; allowed: the default model factories (INasNetwork).");
            if (activation is { } a && a != shaped.Activation || sizes is not null && shaped.NasHiddenSizes is { } s && !s.SequenceEqual(sizes))
                throw new ArgumentException(
                    $"{GetType().Name}.{first} and {GetType().Name}.{name} describe different networks; a NAS configuration gives every network one hidden size and one activation.", name);
            activation = shaped.Activation;
            first ??= name;
            sizes ??= shaped.NasHiddenSizes;
        }
        if (sizes is null || activation is null)
            throw new NotSupportedException($"{GetType().Name} has no model factory that a NAS configuration describes.");
        return MappingSupport.ToNas(sizes, activation.Value, AlgorithmName);
    }

    private static PropertyInfo[] ModelFactoryProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanWrite && typeof(IModelFactory).IsAssignableFrom(p.PropertyType))
            .OrderBy(p => p.MetadataToken)
            .ToArray();

    /// <summary>
    /// The hyperparameters (search-space names and their values) that size what an agent allocates and so must not change
    /// while an AutoRL episode carries the agent over (e.g. <c>buffer_size</c>). Default: none.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string>();

    /// <summary>
    /// Lower bounds on what the algorithm allocates, found by capability rather than by algorithm: a network for every
    /// model factory that describes one (<see cref="IHiddenLayers"/>: the default model factories), and a replay buffer
    /// for off-policy params (<see cref="IOffPolicyParams"/>; <see cref="SamplingConfig.BufferSize"/> wins). A new
    /// algorithm whose factories and params implement those interfaces is covered without code of its own; override to
    /// add what they do not describe.
    /// </summary>
    public virtual IEnumerable<MemoryDemand> EstimateMemory(SamplingConfig sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        foreach (var property in GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(JsonIgnoreAttribute), inherit: true)) continue;
            var value = property.GetValue(this);
            if (value is IHiddenLayers { HiddenSizes: { } sizes })
                yield return MemoryBudget.Network($"{value.GetType().Name}.HiddenSizes", sizes);
            if (value is IOffPolicyParams offPolicy)
                yield return sampling.BufferSize is { } capacity
                    ? MemoryBudget.ReplayBuffer($"{nameof(SamplingConfig)}.{nameof(SamplingConfig.BufferSize)}", capacity)
                    : MemoryBudget.ReplayBuffer($"{value.GetType().Name}.{nameof(IOffPolicyParams.BufferSize)}", offPolicy.BufferSize);
        }
    }

    /// <summary>
    /// The algorithm's params record, or null when the factory has none. Default: the factory's public <c>Params</c>
    /// property, so a module of the usual shape gets the one-source checks and the parameter reference without code.
    /// </summary>
    [JsonIgnore, System.Text.Json.Serialization.JsonIgnore]
    public virtual object? ParamsRecord => GetType().GetProperty("Params", BindingFlags.Public | BindingFlags.Instance)?.GetValue(this);

    /// <summary>
    /// The params with the sampling overrides applied. Default: the factory's public
    /// <c>EffectiveParams(SamplingConfig, int)</c>, else <see cref="ParamsRecord"/>.
    /// </summary>
    public virtual object? EffectiveParamsRecord(SamplingConfig sampling, int numTrainEnvs)
    {
        var method = GetType().GetMethod("EffectiveParams", BindingFlags.Public | BindingFlags.Instance, [typeof(SamplingConfig), typeof(int)]);
        if (method is null) return ParamsRecord;
        try
        {
            return method.Invoke(this, [sampling, numTrainEnvs]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    /// <summary>
    /// Checks that every setting is given in one place (sampling in <see cref="SamplingConfig"/>, the algorithm in its
    /// params, the network in its model factories) and returns a note for each sampling field that replaces a params value
    /// left at its default. Called by <c>Build()</c>; generic over the params record, so every module gets it.
    /// </summary>
    /// <exception cref="ArgumentException">A value is given twice with different values; the message names both places.</exception>
    public IReadOnlyList<string> CheckSettingsGivenOnce(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        return SettingSources.Check(this, sampling, numTrainEnvs);
    }

    /// <summary>
    /// Warnings for settings that run but are probably not what was meant (those Stable-Baselines3 warns about, e.g. a
    /// minibatch larger than the rollout). <c>Build()</c> logs them through <c>ILogger</c>. Default: none.
    /// </summary>
    public virtual IEnumerable<string> Warnings(SamplingConfig sampling, ResolvedSampling resolved) => [];

    /// <summary>Fills in the algorithm's defaults.</summary>
    public ResolvedSampling Resolve(SamplingConfig sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var (epochs, steps) = DefaultSchedule;
        var episodes = sampling.NumTestEpisodes ?? 10;
        return new ResolvedSampling(
            sampling.NumEpochs ?? epochs,
            sampling.EpochNumSteps ?? steps,
            sampling.NumTrainEnvs ?? 1,
            episodes > 0 ? sampling.NumTestEnvs ?? 1 : 0,
            episodes);
    }

    /// <summary>The optimiser factory as the agents take it, or null for the agent's own default.</summary>
    protected Func<IReadOnlyList<Tensor>, double, Optimizer>? OptimizerDelegate =>
        OptimizerFactory is null ? null : (parameters, lr) => OptimizerFactory.Create(parameters, lr);

    /// <summary>Throws the error for a sampling field that does not apply to <paramref name="algorithm"/>, saying why.</summary>
    protected static void Reject(string algorithm, string field, object? value, string why) =>
        throw new ArgumentException(
            $"SamplingConfig.{field} = {Format(value)} does not apply to {algorithm} ({why}); allowed: null.", field);

    /// <summary>A value as it appears in error messages (invariant culture).</summary>
    protected static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    /// <summary>Runs a params record's own validation and rethrows with the record's name in front of the field.</summary>
    protected static void ValidateParams(string owner, Action validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
            if (!message.StartsWith(owner + ".", StringComparison.Ordinal))
                message = $"{owner}.{ex.ParamName}: {message}";
            throw new ArgumentException(message, ex.ParamName, ex);
        }
    }

    /// <summary>Validates the model factory in slot <paramref name="name"/>, or throws naming the slot when it is null (a file that sets it to null).</summary>
    protected void ValidateModel(IModelFactory? model, string name, string allowed)
    {
        if (model is null) throw new ArgumentException($"{GetType().Name}.{name} = null is invalid; allowed: {allowed}.", name);
        model.Validate();
    }

    /// <summary>Throws naming the params record when it is null (a restored file without it).</summary>
    protected void RequireParams(object? parameters, string paramsType)
    {
        if (parameters is null)
            throw new ArgumentException($"{GetType().Name}.Params = null is invalid; allowed: a {paramsType}.", "Params");
    }
}
