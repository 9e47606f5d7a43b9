using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RlExperiments.Environments;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Factories;
using RlExperiments.Factories.Logging;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Experiments.Tests;

public class DependencyInjectionTests
{
    [Fact]
    public void AddRlExperiments_resolves_everything_with_defaults()
    {
        using var provider = new ServiceCollection().AddRlExperiments().BuildServiceProvider(validateScopes: true);
        provider.GetRequiredService<EnvRegistry>().Should().BeSameAs(EnvRegistry.Default);
        var allowList = provider.GetRequiredService<TypeAllowList>();
        allowList.Should().NotBeSameAs(TypeAllowList.Default);
        allowList.Names.Should().Contain(FrameworkTypes.All.Select(t => t.Name));
        provider.GetRequiredService<ExperimentJson>().AllowList.Should().BeSameAs(allowList);
        provider.GetRequiredService<MetricsLoggerFactory>().Should().Be(new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory()));
        provider.GetRequiredService<ILoggerFactory>().Should().NotBeNull();
        provider.GetRequiredService<ILogger<DependencyInjectionTests>>().Should().NotBeNull();
        provider.GetRequiredService<ExperimentJson>().Should().BeSameAs(provider.GetRequiredService<ExperimentJson>());
    }

    [Fact]
    public void AllowType_lets_the_container_json_read_and_write_user_types()
    {
        using var provider = new ServiceCollection()
            .AddRlExperiments(o => o.AllowType<MyEnvFactory>().AllowType<SampleConfig>("MyConfig"))
            .BuildServiceProvider();
        var json = provider.GetRequiredService<ExperimentJson>();
        var config = new SampleConfig { Env = new MyEnvFactory { EnvId = "CartPole-v1", StatsWindow = 3 } };
        var text = json.Serialize(config);
        text.Should().Contain("\"kind\": \"MyConfig\"").And.Contain("\"$type\": \"MyEnvFactory\"");
        json.Deserialize<SampleConfig>(text).Should().Be(config);

        var withoutRegistration = () => ExperimentJson.Default.Deserialize<SampleConfig>(text, "MyConfig");
        withoutRegistration.Should().Throw<ExperimentJsonException>().WithMessage("*'MyEnvFactory'*not on the allow-list*");
        TypeAllowList.Default.IsAllowed(typeof(MyEnvFactory)).Should().BeFalse("DI registration does not touch the process-wide list");
    }

    [Fact]
    public void Several_AddRlExperiments_calls_add_up()
    {
        using var provider = new ServiceCollection()
            .AddRlExperiments(o => o.AllowType<MyEnvFactory>())
            .AddRlExperiments(o => o.AllowType<SampleConfig>())
            .BuildServiceProvider();
        var list = provider.GetRequiredService<TypeAllowList>();
        list.IsAllowed(typeof(MyEnvFactory)).Should().BeTrue();
        list.IsAllowed(typeof(SampleConfig)).Should().BeTrue();
    }

    [Fact]
    public void RegisterEnv_adds_the_environment_to_the_container_registry_only()
    {
        using var provider = new ServiceCollection()
            .AddRlExperiments(o => o.RegisterEnv("LowGravity-v0", k => new Pendulum(k.GetDouble("g", 1.0)), maxEpisodeSteps: 30, rewardThreshold: -5, parameters: ["g"]))
            .BuildServiceProvider();
        var registry = provider.GetRequiredService<EnvRegistry>();
        registry.Should().NotBeSameAs(EnvRegistry.Default);
        registry.Contains("LowGravity-v0").Should().BeTrue();
        registry.Contains("CartPole-v1").Should().BeTrue("built-in ids stay available");
        EnvRegistry.Default.Contains("LowGravity-v0").Should().BeFalse();

        using var envs = new EnvFactory { EnvId = "LowGravity-v0", Kwargs = new Dictionary<string, object?> { ["g"] = 0.5 } }.Create(2, 1, 0, registry);
        ((Pendulum)envs.Train.Envs[0].Unwrapped).G.Should().Be(0.5);
        envs.MaxEpisodeSteps.Should().Be(30);
        envs.RewardThreshold.Should().Be(-5);
    }

    [Fact]
    public void A_configured_registry_and_logger_factory_are_used()
    {
        var mine = new EnvRegistry();
        var logger = new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory());
        using var provider = new ServiceCollection()
            .AddRlExperiments(o =>
            {
                o.EnvRegistry = mine;
                o.DefaultLoggerFactory = logger;
                o.RegisterEnv("Mine-v0", _ => new CartPole());
            })
            .BuildServiceProvider();
        provider.GetRequiredService<EnvRegistry>().Should().BeSameAs(mine);
        mine.Contains("Mine-v0").Should().BeTrue();
        provider.GetRequiredService<MetricsLoggerFactory>().Should().BeSameAs(logger);
    }

    [Fact]
    public void Services_registered_before_win()
    {
        var registry = new EnvRegistry();
        var services = new ServiceCollection();
        services.AddSingleton(registry);
        using var provider = services.AddRlExperiments().BuildServiceProvider();
        provider.GetRequiredService<EnvRegistry>().Should().BeSameAs(registry);
    }

    [Fact]
    public void Conflicting_env_ids_are_reported_when_the_registry_is_built()
    {
        using var provider = new ServiceCollection()
            .AddRlExperiments(o => o.RegisterEnv("CartPole-v1", _ => new CartPole()))
            .BuildServiceProvider();
        var act = () => provider.GetRequiredService<EnvRegistry>();
        act.Should().Throw<ArgumentException>().WithMessage("The id 'CartPole-v1' is already registered*");
    }

    [Fact]
    public void Invalid_allow_type_registration_is_reported()
    {
        using var provider = new ServiceCollection()
            .AddRlExperiments(o => o.AllowType<MyEnvFactory>("EnvFactory"))
            .BuildServiceProvider();
        var act = () => provider.GetRequiredService<TypeAllowList>();
        act.Should().Throw<ArgumentException>().WithMessage("The name 'EnvFactory' is already taken by RlExperiments.Factories.EnvFactory*");
    }
}

public class TypeAllowListTests
{
    [Fact]
    public void Allow_uses_the_type_name_by_default_and_is_idempotent()
    {
        var list = new TypeAllowList(includeFrameworkTypes: false);
        list.Names.Should().BeEmpty();
        list.Allow<MyEnvFactory>().Allow<MyEnvFactory>();
        list.TryGetName(typeof(MyEnvFactory), out var name).Should().BeTrue();
        name.Should().Be("MyEnvFactory");
        list.TryGetType("MyEnvFactory", out var type).Should().BeTrue();
        type.Should().Be<MyEnvFactory>();
        list.TryGetType("myenvfactory", out _).Should().BeFalse("names are case-sensitive");
    }

    [Fact]
    public void Framework_types_are_included_by_default()
    {
        var list = new TypeAllowList();
        var moduleTypes = AlgorithmRegistry.Default.Modules.SelectMany(m => m.PersistedTypes).Select(t => t.Name);
        list.Names.Should().Equal(FrameworkTypes.All.Select(t => t.Name).Concat(moduleTypes).Order(StringComparer.Ordinal));
        list.IsAllowed(typeof(EnvFactory)).Should().BeTrue();
        list.IsAllowed(typeof(DQNAlgorithmFactory)).Should().BeTrue("the built-in modules' types come from the algorithm registry");
        new TypeAllowList(includeFrameworkTypes: false).IsAllowed(typeof(DQNAlgorithmFactory)).Should().BeFalse();
    }

    [Theory]
    [InlineData("Has,Comma")]
    [InlineData("Has Space")]
    [InlineData("Generic[]")]
    [InlineData("1Digit")]
    [InlineData("")]
    public void Invalid_names_are_rejected(string name)
    {
        var act = () => new TypeAllowList(false).Allow<MyEnvFactory>(name);
        act.Should().Throw<ArgumentException>().WithMessage($"'{name}' is not a valid allow-list name*");
    }

    [Fact]
    public void Conflicts_and_non_data_types_are_rejected()
    {
        var list = new TypeAllowList(false).Allow<MyEnvFactory>("A");
        var sameName = () => list.Allow<SampleConfig>("A");
        sameName.Should().Throw<ArgumentException>().WithMessage("The name 'A' is already taken*");
        var secondName = () => list.Allow<MyEnvFactory>("B");
        secondName.Should().Throw<ArgumentException>().WithMessage("*already allowed as 'A'*");
        var open = () => list.Allow(typeof(List<>));
        open.Should().Throw<ArgumentException>().WithMessage("Cannot allow the open generic type*");
        var generic = () => list.Allow<List<int>>();
        generic.Should().Throw<ArgumentException>().WithMessage("*needs an explicit name*");
        list.Allow<List<int>>("IntList").IsAllowed(typeof(List<int>)).Should().BeTrue();
        var del = () => list.Allow<Action>();
        del.Should().Throw<ArgumentException>().WithMessage("Cannot allow System.Action: delegates*");
    }

    [Fact]
    public void Binder_rejects_assembly_qualified_names_even_for_allowed_simple_names()
    {
        var binder = new AllowListSerializationBinder(new TypeAllowList());
        binder.BindToType(null, "CsvLoggerFactory").Should().Be<CsvLoggerFactory>();
        var act = () => binder.BindToType("RlExperiments.Factories", "RlExperiments.Factories.Logging.CsvLoggerFactory");
        act.Should().Throw<DisallowedTypeException>().Which.TypeName.Should().Be("RlExperiments.Factories.Logging.CsvLoggerFactory, RlExperiments.Factories");
        binder.BindToName(typeof(CsvLoggerFactory), out var assembly, out var typeName);
        (assembly, typeName).Should().Be(((string?)null, "CsvLoggerFactory"));
    }
}
