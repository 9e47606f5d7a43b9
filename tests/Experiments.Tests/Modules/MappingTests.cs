using RlExperiments.Experiments.Algorithms;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Core;
using RlExperiments.Tuning;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Sac;
using RlExperiments.Experiments.Algorithms.Iqn;
using RlExperiments.Agents.Algorithms.Iqn;

namespace RlExperiments.Experiments.Tests.Modules;

public class MappingTests
{
    private static Configuration Cfg(params (string Key, object Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));

    private static Configuration With(Configuration c, string key, object value) =>
        new(c.Select(kv => kv.Key == key ? new KeyValuePair<string, object>(key, value) : kv));

    private static Configuration Without(Configuration c, params string[] keys) =>
        new(c.Where(kv => !keys.Contains(kv.Key)));

    // Hyperparameter -> field read back in the configuration's representation (long / double / bool).
    private static readonly (string Key, Func<DqnParams, object> Get)[] DqnFields =
    {
        ("buffer_size", p => (long)p.BufferSize),
        ("buffer_batch_size", p => (long)p.BatchSize),
        ("buffer_prio_sampling", p => p.PrioritizedReplay),
        ("buffer_alpha", p => p.PriorityAlpha),
        ("buffer_beta", p => p.PriorityBeta0),
        ("buffer_epsilon", p => p.PriorityEps),
        ("learning_rate", p => p.LearningRate),
        ("gamma", p => p.Gamma),
        ("initial_epsilon", p => p.ExplorationInitialEps),
        ("target_epsilon", p => p.ExplorationFinalEps),
        ("exploration_fraction", p => p.ExplorationFraction),
        ("tau", p => p.Tau),
        ("train_freq", p => (long)p.TrainFreq),
        ("gradient_steps", p => (long)p.GradientSteps),
        ("learning_starts", p => (long)p.LearningStarts),
        ("target_update_interval", p => (long)p.TargetUpdateInterval),
    };

    private static readonly (string Key, Func<PpoParams, object> Get)[] PpoFields =
    {
        ("minibatch_size", p => (long)p.BatchSize),
        ("learning_rate", p => p.LearningRate),
        ("n_steps", p => (long)p.NumSteps),
        ("update_epochs", p => (long)p.UpdateEpochs),
        ("gamma", p => p.Gamma),
        ("gae_lambda", p => p.GaeLambda),
        ("clip_eps", p => p.ClipRange),
        ("vf_clip_eps", p => p.ClipRangeVf ?? 0.0),
        ("normalize_advantage", p => p.NormalizeAdvantage),
        ("ent_coef", p => p.EntCoef),
        ("vf_coef", p => p.VfCoef),
        ("max_grad_norm", p => p.MaxGradNorm),
        ("normalize_observations", p => p.NormalizeObservations),
    };

    private static readonly (string Key, Func<SacParams, object> Get)[] SacFields =
    {
        ("buffer_size", p => (long)p.BufferSize),
        ("buffer_batch_size", p => (long)p.BatchSize),
        ("learning_rate", p => p.LearningRate),
        ("gamma", p => p.Gamma),
        ("tau", p => p.Tau),
        ("gradient_steps", p => (long)p.GradientSteps),
        ("train_freq", p => (long)p.TrainFreq),
        ("learning_starts", p => (long)p.LearningStarts),
        ("target_update_interval", p => (long)p.TargetUpdateInterval),
        ("alpha_auto", p => p.AutoEntCoef),
        ("alpha", p => p.EntCoef),
    };

    private static void SameConfig(Configuration actual, Configuration expected) =>
        actual.Equals(expected).Should().BeTrue($"{actual} should equal {expected} (same keys, order and values)");

    private static void CheckFields<T>(Configuration c, T p, (string Key, Func<T, object> Get)[] fields)
    {
        foreach (var (key, get) in fields)
            if (c.ContainsKey(key))
                get(p).Should().Be(c[key], $"'{key}' of {c} should set its field");
    }

    [Fact]
    public void Field_tables_cover_every_hyperparameter_of_the_spaces()
    {
        new DqnModule().SearchSpace().Hyperparameters.Select(h => h.Name).Should()
            .BeEquivalentTo(DqnFields.Select(f => f.Key).Concat(new[] { "use_target_network" }));
        new PpoModule().SearchSpace().Hyperparameters.Select(h => h.Name).Should().BeEquivalentTo(PpoFields.Select(f => f.Key));
        new SacModule().SearchSpace().Hyperparameters.Select(h => h.Name).Should().BeEquivalentTo(SacFields.Select(f => f.Key)
            .Concat(new[] { "use_target_network", "buffer_prio_sampling", "buffer_alpha", "buffer_beta", "buffer_epsilon" }));
    }

    [Fact]
    public void Dqn_sampled_configurations_set_each_field_and_map_back()
    {
        var space = new DqnModule().SearchSpace();
        var rng = new Rng(11);
        int withoutTarget = 0;
        for (int i = 0; i < 50; i++)
        {
            var c = space.Sample(rng);
            var p = DqnConfigurationMapping.ToParams(c);
            CheckFields(c, p, DqnFields);
            if (!c.GetBool("use_target_network"))
            {
                withoutTarget++;
                p.Tau.Should().Be(1.0);
                p.TargetUpdateInterval.Should().Be(1);
            }
            var back = DqnConfigurationMapping.ToConfiguration(p);
            space.Validate(back);
            SameConfig(back, c);
        }
        withoutTarget.Should().BeInRange(10, 40);
    }

    [Fact]
    public void Ppo_sampled_configurations_set_each_field_and_map_back()
    {
        var space = new PpoModule().SearchSpace();
        var rng = new Rng(12);
        for (int i = 0; i < 50; i++)
        {
            var c = space.Sample(rng);
            var p = PpoConfigurationMapping.ToParams(c);
            CheckFields(c, p, PpoFields);
            var back = PpoConfigurationMapping.ToConfiguration(p);
            space.Validate(back);
            SameConfig(back, c);
        }
    }

    [Fact]
    public void Sac_sampled_configurations_set_each_field_and_map_back()
    {
        var space = new SacModule().SearchSpace();
        var rng = new Rng(13);
        for (int i = 0; i < 50; i++)
        {
            var c = With(space.Sample(rng), "buffer_prio_sampling", false); // true is unsupported (tested separately)
            var p = SacConfigurationMapping.ToParams(c);
            CheckFields(c, p, SacFields);
            if (!c.GetBool("use_target_network")) { p.Tau.Should().Be(1.0); p.TargetUpdateInterval.Should().Be(1); }
            var back = SacConfigurationMapping.ToConfiguration(p);
            space.Validate(back);
            var expected = c;
            foreach (var k in new[] { "buffer_alpha", "buffer_beta", "buffer_epsilon" }) expected = With(expected, k, space.Get(k).Default);
            SameConfig(back, expected);
        }
    }

    [Fact]
    public void Params_map_to_configuration_and_back_unchanged()
    {
        var dqns = new[]
        {
            new DqnParams(),
            new DqnParams { BufferSize = 5000, BatchSize = 8, PrioritizedReplay = true, PriorityAlpha = 0.7, PriorityBeta0 = 0.5, PriorityEps = 1e-5,
                LearningRate = 1e-3, Gamma = 0.95, ExplorationInitialEps = 0.9, ExplorationFinalEps = 0.02, ExplorationFraction = 0.3,
                Tau = 0.05, TrainFreq = 2, GradientSteps = 3, LearningStarts = 77, TargetUpdateInterval = 9, DoubleDqn = true, NStep = 3 },
            new DqnParams { Tau = 1.0, TargetUpdateInterval = 1, GradientSteps = -1 },
        };
        foreach (var p in dqns)
        {
            DqnConfigurationMapping.ToParams(DqnConfigurationMapping.ToConfiguration(p), basis: p).Should().Be(p);
            var fresh = DqnConfigurationMapping.ToParams(DqnConfigurationMapping.ToConfiguration(p)); // default basis
            SameConfig(DqnConfigurationMapping.ToConfiguration(fresh), DqnConfigurationMapping.ToConfiguration(p));
        }

        var ppos = new[]
        {
            new PpoParams(),
            new PpoParams { BatchSize = 32, LearningRate = 1e-4, NumSteps = 64, UpdateEpochs = 4, Gamma = 0.9, GaeLambda = 0.85, ClipRange = 0.1,
                ClipRangeVf = 0.3, NormalizeAdvantage = false, EntCoef = 0.01, VfCoef = 0.7, MaxGradNorm = 0.9, NormalizeObservations = true, TargetKl = 0.02 },
        };
        foreach (var p in ppos)
        {
            PpoConfigurationMapping.ToParams(PpoConfigurationMapping.ToConfiguration(p), basis: p).Should().Be(p);
            var fresh = PpoConfigurationMapping.ToParams(PpoConfigurationMapping.ToConfiguration(p));
            SameConfig(PpoConfigurationMapping.ToConfiguration(fresh), PpoConfigurationMapping.ToConfiguration(p));
        }

        var sacs = new[]
        {
            new SacParams(),
            new SacParams { BufferSize = 10_000, BatchSize = 128, LearningRate = 1e-3, Gamma = 0.98, Tau = 0.02, GradientSteps = 2, TrainFreq = 3,
                LearningStarts = 50, TargetUpdateInterval = 4, AutoEntCoef = false, EntCoef = 0.2 },
            new SacParams { Tau = 1.0, TargetUpdateInterval = 1, AutoEntCoef = true, EntCoef = 0.5 },
        };
        foreach (var p in sacs)
        {
            SacConfigurationMapping.ToParams(SacConfigurationMapping.ToConfiguration(p), basis: p).Should().Be(p);
            var fresh = SacConfigurationMapping.ToParams(SacConfigurationMapping.ToConfiguration(p));
            SameConfig(SacConfigurationMapping.ToConfiguration(fresh), SacConfigurationMapping.ToConfiguration(p));
        }
    }

    [Fact]
    public void Default_configurations_map_to_valid_params_and_model_factories()
    {
        var dqnFactory = (DQNAlgorithmFactory)new DQNAlgorithmFactory().WithConfiguration(new DqnModule().SearchSpace().Default, new DqnModule().NasSpace().Default);
        dqnFactory.Params.Should().Match<DqnParams>(p => p.BatchSize == 16 && p.LearningStarts == 1024 && p.Tau == 1.0 && p.TargetUpdateInterval == 1000
            && p.LearningRate == 3e-4 && !p.PrioritizedReplay);
        dqnFactory.ModelFactory.Should().Be(new QNetworkFactoryDefault { HiddenSizes = [64, 64], Activation = Activation.Tanh });
        new DqnModule().SearchSpace().Hyperparameters.Should().NotContain(h => h.Name == "normalize_observations");
        new SacModule().SearchSpace().Hyperparameters.Should().NotContain(h => h.Name == "normalize_observations");

        var ppo = (PPOAlgorithmFactory)new PPOAlgorithmFactory().WithConfiguration(new PpoModule().SearchSpace().Default, new PpoModule().NasSpace().Default);
        ppo.Params.Should().Match<PpoParams>(p => p.BatchSize == 64 && p.NumSteps == 128 && p.UpdateEpochs == 10 && p.ClipRangeVf == 0.2
            && p.MaxGradNorm == 0.5 && !p.NormalizeObservations);
        ppo.ActorFactory.Should().Be(new ActorFactoryDefault { HiddenSizes = [64, 64], Activation = Activation.Tanh, OrthoInit = true });
        ppo.CriticFactory.Should().Be(new CriticFactoryDefault { HiddenSizes = [64, 64], Activation = Activation.Tanh, OrthoInit = true });

        var sac = (SACAlgorithmFactory)new SACAlgorithmFactory().WithConfiguration(new SacModule().SearchSpace().Default, new SacModule().NasSpace().Default);
        sac.Params.Should().Match<SacParams>(p => p.BatchSize == 256 && p.LearningStarts == 128 && p.Tau == 1.0 && p.TargetUpdateInterval == 1000 && p.AutoEntCoef);
        sac.ActorFactory.Should().Be(new TanhGaussianActorFactoryDefault { HiddenSizes = [256, 256], Activation = Activation.Tanh });
        sac.Critic1Factory.Should().Be(new CriticFactoryDefault { HiddenSizes = [256, 256], Activation = Activation.Tanh });
        sac.Critic2Factory.Should().Be(sac.Critic1Factory);
    }

    [Fact]
    public void Use_target_network_false_omits_its_children_and_given_children_are_rejected()
    {
        var basis = new DqnParams { Tau = 0.1, TargetUpdateInterval = 500 };
        var p = DqnConfigurationMapping.ToParams(Cfg(("use_target_network", false)), basis);
        p.Tau.Should().Be(1.0);
        p.TargetUpdateInterval.Should().Be(1);
        var c = DqnConfigurationMapping.ToConfiguration(p);
        c.GetBool("use_target_network").Should().BeFalse();
        c.ContainsKey("tau").Should().BeFalse();
        c.ContainsKey("target_update_interval").Should().BeFalse();
        new DqnModule().SearchSpace().Validate(c);
        DqnConfigurationMapping.ToConfiguration(basis).GetBool("use_target_network").Should().BeTrue();

        var act = () => DqnConfigurationMapping.ToParams(Cfg(("use_target_network", false), ("tau", 0.5)));
        act.Should().Throw<ArgumentException>().WithMessage("*'tau'*inactive*use_target_network*");

        var sac = SacConfigurationMapping.ToConfiguration(new SacParams { Tau = 1, TargetUpdateInterval = 1, AutoEntCoef = true });
        sac.ContainsKey("tau").Should().BeFalse();
        sac.ContainsKey("alpha").Should().BeFalse();
        new SacModule().SearchSpace().Validate(sac);
        var sacAct = () => SacConfigurationMapping.ToParams(Cfg(("alpha_auto", true), ("alpha", 0.3)));
        sacAct.Should().Throw<ArgumentException>().WithMessage("*'alpha'*inactive*alpha_auto*");
    }

    [Fact]
    public void Partial_configurations_keep_the_basis_for_absent_keys()
    {
        var basis = new PpoParams { NumSteps = 256, EntCoef = 0.03, TargetKl = 0.01 };
        var p = PpoConfigurationMapping.ToParams(Cfg(("learning_rate", 1e-3), ("vf_clip_eps", 0.0)), basis);
        p.Should().Be(basis with { LearningRate = 1e-3, ClipRangeVf = null });
        PpoConfigurationMapping.ToConfiguration(p).GetDouble("vf_clip_eps").Should().Be(0.0);

        var dqnBasis = new DqnParams();
        DqnConfigurationMapping.ToParams(Cfg(("tau", 0.3)), dqnBasis).Should().Be(dqnBasis with { Tau = 0.3 });
    }

    [Fact]
    public void Nas_configurations_map_into_every_model_factory_and_back()
    {
        var nas = Cfg(("activation", "relu"), ("hidden_size", 128L));
        var dqn = (DQNAlgorithmFactory)new DQNAlgorithmFactory { ModelFactory = new QNetworkFactoryDefault { Dueling = true } }.WithConfiguration(Cfg(), nas);
        dqn.ModelFactory.Should().Be(new QNetworkFactoryDefault { HiddenSizes = [128, 128], Activation = Activation.ReLU, Dueling = true }, "the NAS keeps what it does not describe");
        dqn.Params.Should().Be(new DqnParams(), "the network is not in the params");
        SameConfig(dqn.NasConfiguration(), nas);
        new DqnModule().NasSpace().Validate(dqn.NasConfiguration());

        var ppo = (PPOAlgorithmFactory)new PPOAlgorithmFactory().WithConfiguration(Cfg(), Cfg(("activation", "tanh"), ("hidden_size", 2048L)));
        ((ActorFactoryDefault)ppo.ActorFactory).HiddenSizes.Should().Equal(2048, 2048);
        ((CriticFactoryDefault)ppo.CriticFactory!).HiddenSizes.Should().Equal(2048, 2048);
        SameConfig(ppo.NasConfiguration(), Cfg(("activation", "tanh"), ("hidden_size", 2048L)));

        var sac = (SACAlgorithmFactory)new SACAlgorithmFactory().WithConfiguration(Cfg(), Cfg(("hidden_size", 32L)));
        ((TanhGaussianActorFactoryDefault)sac.ActorFactory).HiddenSizes.Should().Equal(32, 32);
        ((TanhGaussianActorFactoryDefault)sac.ActorFactory).Activation.Should().Be(Activation.ReLU, "an absent key keeps the factory's value");
        SameConfig(sac.NasConfiguration(), Cfg(("activation", "relu"), ("hidden_size", 32L)));

        // Every registered algorithm: a NAS configuration round-trips through its model factories.
        foreach (var module in AlgorithmRegistry.Default.Modules)
        {
            var config = Cfg(("activation", "tanh"), ("hidden_size", 48L));
            var changed = module.CreateDefault().WithConfiguration(Cfg(), config);
            SameConfig(changed.NasConfiguration(), config);
            changed.ParamsRecord.Should().Be(module.CreateDefault().ParamsRecord, $"{module.Name}'s NAS changes no params field");
        }

        var uneven = () => new SACAlgorithmFactory { ActorFactory = new TanhGaussianActorFactoryDefault { HiddenSizes = [64, 32] }, Critic1Factory = new CriticFactoryDefault { HiddenSizes = [64, 32] }, Critic2Factory = new CriticFactoryDefault { HiddenSizes = [64, 32] } }.NasConfiguration();
        uneven.Should().Throw<ArgumentException>().WithMessage("*HiddenSizes*[64, 32]*");
        var differ = () => new SACAlgorithmFactory { ActorFactory = new TanhGaussianActorFactoryDefault { HiddenSizes = [64, 64] } }.NasConfiguration();
        differ.Should().Throw<ArgumentException>().WithMessage("*ActorFactory*Critic1Factory*different networks*");
        var elu = () => new PPOAlgorithmFactory { ActorFactory = new ActorFactoryDefault { Activation = Activation.ELU }, CriticFactory = new CriticFactoryDefault { Activation = Activation.ELU } }.NasConfiguration();
        elu.Should().Throw<ArgumentException>().WithMessage("*ELU*Tanh, ReLU*");
        var badAct = () => new DQNAlgorithmFactory().WithConfiguration(Cfg(), Cfg(("activation", "gelu")));
        badAct.Should().Throw<ArgumentException>().WithMessage("*'activation'*gelu*tanh, relu*");
        var unknownNas = () => new DQNAlgorithmFactory().WithConfiguration(Cfg(), Cfg(("layers", 3L)));
        unknownNas.Should().Throw<ArgumentException>().WithMessage("*'layers'*activation, hidden_size*");
    }

    [Fact]
    public void Unknown_keys_and_wrong_types_are_named()
    {
        var act = () => DqnConfigurationMapping.ToParams(Cfg(("gamma", 0.9), ("batch_size", 32L)));
        act.Should().Throw<ArgumentException>().WithMessage("*'batch_size'*known:*buffer_batch_size*");
        var ppo = () => PpoConfigurationMapping.ToParams(Cfg(("buffer_size", 10L)));
        ppo.Should().Throw<ArgumentException>().WithMessage("*'buffer_size'*minibatch_size*");
        var type = () => SacConfigurationMapping.ToParams(Cfg(("gamma", "high")));
        type.Should().Throw<ArgumentException>().WithMessage("*'gamma'*high*number*");
        var frac = () => SacConfigurationMapping.ToParams(Cfg(("train_freq", 2.5)));
        frac.Should().Throw<ArgumentException>().WithMessage("*'train_freq'*integer*");
        var invalid = () => DqnConfigurationMapping.ToParams(Cfg(("gamma", 1.5)));
        invalid.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Gamma*");
    }

    [Fact]
    public void Unsupported_values_throw_naming_the_hyperparameter()
    {
        var prio = () => SacConfigurationMapping.ToParams(Cfg(("buffer_prio_sampling", true)));
        prio.Should().Throw<NotSupportedException>().WithMessage("*'buffer_prio_sampling'*true*");
        var sacBasis = new SacParams();
        SacConfigurationMapping.ToParams(Cfg(("buffer_prio_sampling", false), ("buffer_alpha", 0.3), ("buffer_beta", 0.2), ("buffer_epsilon", 1e-4)), sacBasis)
            .Should().Be(sacBasis);
        var alpha0 = () => SacConfigurationMapping.ToParams(Cfg(("alpha_auto", false), ("alpha", 0.0)));
        alpha0.Should().Throw<NotSupportedException>().WithMessage("*'alpha'*0*");
        SacConfigurationMapping.ToParams(Cfg(("alpha_auto", false), ("alpha", 0.25))).Should().Match<SacParams>(p => !p.AutoEntCoef && p.EntCoef == 0.25);
        var clip0 = () => PpoConfigurationMapping.ToParams(Cfg(("clip_eps", 0.0)));
        clip0.Should().Throw<NotSupportedException>().WithMessage("*'clip_eps'*");
        var grad0 = () => PpoConfigurationMapping.ToParams(Cfg(("max_grad_norm", 0.0)));
        grad0.Should().Throw<NotSupportedException>().WithMessage("*'max_grad_norm'*");
    }

    [Fact]
    public void Normalize_observations_is_read_by_the_helper_applied_by_ppo_and_refused_by_name_by_dqn_iqn_and_sac()
    {
        var on = Cfg(("normalize_observations", true));
        EnvironmentHyperparameters.NormalizeObservations(on).Should().BeTrue();
        EnvironmentHyperparameters.NormalizeObservations(Cfg()).Should().BeFalse();
        var dqnBasis = new DqnParams();
        var sacBasis = new SacParams();
        var dqn = () => DqnConfigurationMapping.ToParams(on, dqnBasis);
        dqn.Should().Throw<ArgumentException>().WithMessage("Hyperparameter 'normalize_observations' = True is not supported by DQN: its agent does not normalise observations*allowed: no such key.*")
            .Which.ParamName.Should().Be("normalize_observations");
        var sac = () => SacConfigurationMapping.ToParams(on, sacBasis);
        sac.Should().Throw<ArgumentException>().WithMessage("Hyperparameter 'normalize_observations' = true is not supported by SAC*");
        // Refused whatever the value: the key names a setting these agents do not have.
        FluentActions.Invoking(() => DqnConfigurationMapping.ToParams(Cfg(("normalize_observations", false)), dqnBasis)).Should().Throw<ArgumentException>().WithMessage("*'normalize_observations' = False is not supported by DQN*");
        DqnConfigurationMapping.ToConfiguration(dqnBasis).Keys.Should().NotContain("normalize_observations");
        FluentActions.Invoking(() => IqnConfigurationMapping.ToParams(Cfg(("normalize_observations", false)), new IqnParams()))
            .Should().Throw<ArgumentException>().WithMessage("*'normalize_observations' = False is not supported by IQN*allowed: no such key*");
        IqnConfigurationMapping.ToConfiguration(new IqnParams()).Keys.Should().NotContain("normalize_observations");
        new IqnModule().SearchSpace().Hyperparameters.Should().NotContain(h => h.Name == "normalize_observations");
        SacConfigurationMapping.ToConfiguration(sacBasis).Keys.Should().NotContain("normalize_observations");
        PpoConfigurationMapping.ToParams(on).NormalizeObservations.Should().BeTrue();
        var bad = () => EnvironmentHyperparameters.NormalizeObservations(Cfg(("normalize_observations", "yes")));
        bad.Should().Throw<ArgumentException>().WithMessage("*normalize_observations*");
    }
}
