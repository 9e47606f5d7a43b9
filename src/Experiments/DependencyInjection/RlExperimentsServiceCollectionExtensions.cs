using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RlExperiments.Environments;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Persistence;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RlExperiments in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class RlExperimentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds RlExperiments' services as singletons: the <see cref="AlgorithmRegistry"/> (<see cref="AlgorithmRegistry.Default"/>
    /// unless <see cref="RlExperimentsOptions.AddAlgorithm"/> adds modules), the <see cref="EnvRegistry"/> (<see cref="EnvRegistry.Default"/>
    /// unless configured), the <see cref="TypeAllowList"/> (framework types, the algorithms' types, plus <see cref="RlExperimentsOptions.AllowType{T}(string?)"/>),
    /// the <see cref="ExperimentJson"/> reader/writer over it, the default metrics
    /// <see cref="RlExperiments.Factories.Logging.LoggerFactory"/> (TensorBoard and progress.csv), Microsoft.Extensions.Logging
    /// (<c>AddLogging</c>; add providers such as the console yourself), the <see cref="ExperimentServices"/> built from
    /// these, and the <see cref="ExperimentRunner"/> that creates builders and restores experiments with them. Services registered before this call win.
    /// Everything also works without a container: see <see cref="TypeAllowList.Default"/>, <see cref="ExperimentJson.Default"/>
    /// and <see cref="EnvRegistry.Default"/>.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Registers types and environments; can be given in several calls, which add up.</param>
    public static IServiceCollection AddRlExperiments(this IServiceCollection services, Action<RlExperimentsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddOptions();
        if (configure is not null)
            services.Configure(configure);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RlExperimentsOptions>>().Value.BuildAlgorithmRegistry());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RlExperimentsOptions>>().Value.BuildAllowList(sp.GetRequiredService<AlgorithmRegistry>()));
        services.TryAddSingleton(sp => new ExperimentJson(sp.GetRequiredService<TypeAllowList>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RlExperimentsOptions>>().Value.BuildEnvRegistry());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RlExperimentsOptions>>().Value.DefaultLoggerFactory);
        services.TryAddSingleton(sp => new ExperimentServices(
            sp.GetRequiredService<EnvRegistry>(),
            sp.GetRequiredService<ExperimentJson>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            sp.GetRequiredService<MetricsLoggerFactory>(),
            sp.GetRequiredService<AlgorithmRegistry>()));
        services.TryAddSingleton(sp => new ExperimentRunner(sp.GetRequiredService<ExperimentServices>()));
        return services;
    }
}
