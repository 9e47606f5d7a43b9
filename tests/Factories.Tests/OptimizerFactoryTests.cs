using System.Reflection;
using RlExperiments.Factories.Optim;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Factories.Tests;

public class OptimizerFactoryTests
{
    private static Tensor[] Params() => [Tensor.Zeros([3, 2], requiresGrad: true), Tensor.Zeros([2], requiresGrad: true)];

    [Fact]
    public void Adam_is_the_default_with_pytorch_defaults()
    {
        OptimizerFactory.Default.Should().Be(new AdamOptimizerFactory());
        var adam = new AdamOptimizerFactory().Create(Params(), 1e-3).Should().BeOfType<Adam>().Subject;
        (adam.Beta1, adam.Beta2, adam.Eps, adam.WeightDecay, adam.LearningRate).Should().Be((0.9, 0.999, 1e-8, 0.0, 1e-3));
    }

    [Fact]
    public void Adam_forwards_every_field()
    {
        var factory = new AdamOptimizerFactory { Beta1 = 0.8, Beta2 = 0.95, Eps = 1e-5, WeightDecay = 0.1 };
        var adam = factory.Create(Params(), 3e-4).Should().BeOfType<Adam>().Subject;
        (adam.Beta1, adam.Beta2, adam.Eps, adam.WeightDecay, adam.LearningRate).Should().Be((0.8, 0.95, 1e-5, 0.1, 3e-4));
        adam.Parameters.Should().HaveCount(2);
    }

    [Fact]
    public void AdamW_forwards_every_field_and_defaults_to_weight_decay_0_01()
    {
        new AdamWOptimizerFactory().WeightDecay.Should().Be(0.01);
        var adamw = new AdamWOptimizerFactory { Beta1 = 0.7, Beta2 = 0.9, Eps = 1e-6, WeightDecay = 0.2 }.Create(Params(), 0.01);
        var typed = adamw.Should().BeOfType<AdamW>().Subject;
        (typed.Beta1, typed.Beta2, typed.Eps, typed.WeightDecay, typed.LearningRate).Should().Be((0.7, 0.9, 1e-6, 0.2, 0.01));
    }

    [Fact]
    public void Sgd_forwards_every_field()
    {
        var sgd = new SgdOptimizerFactory { Momentum = 0.9, Dampening = 0, WeightDecay = 1e-4, Nesterov = true }.Create(Params(), 0.1)
            .Should().BeOfType<Sgd>().Subject;
        (sgd.Momentum, sgd.Dampening, sgd.WeightDecay, sgd.Nesterov, sgd.LearningRate).Should().Be((0.9, 0.0, 1e-4, true, 0.1));
        var damped = (Sgd)new SgdOptimizerFactory { Momentum = 0.5, Dampening = 0.3 }.Create(Params(), 0.1);
        (damped.Momentum, damped.Dampening, damped.Nesterov).Should().Be((0.5, 0.3, false));
    }

    [Fact]
    public void RmsProp_forwards_every_field()
    {
        var rms = new RmsPropOptimizerFactory { Alpha = 0.9, Eps = 1e-5, WeightDecay = 0.01, Momentum = 0.5, Centered = true }.Create(Params(), 7e-4)
            .Should().BeOfType<RmsProp>().Subject;
        (rms.Alpha, rms.Eps, rms.WeightDecay, rms.Momentum, rms.Centered, rms.LearningRate).Should().Be((0.9, 1e-5, 0.01, 0.5, true, 7e-4));
    }

    private static readonly OptimizerFactory[] Samples =
    [
        new AdamOptimizerFactory { Beta1 = 0.81, Beta2 = 0.92, Eps = 3e-7, WeightDecay = 0.04 },
        new AdamWOptimizerFactory { Beta1 = 0.81, Beta2 = 0.92, Eps = 3e-7, WeightDecay = 0.04 },
        new SgdOptimizerFactory { Momentum = 0.6, Dampening = 0, WeightDecay = 0.04, Nesterov = true },
        new SgdOptimizerFactory { Momentum = 0.6, Dampening = 0.3, WeightDecay = 0.04, Nesterov = false },
        new RmsPropOptimizerFactory { Alpha = 0.81, Eps = 3e-7, WeightDecay = 0.04, Momentum = 0.6, Centered = true },
    ];

    public static TheoryData<OptimizerFactory> NonDefaultFactories => new(Samples);

    /// <summary>Guards against Tianshou's bug of dropping optimiser kwargs: every property of every factory must reach the optimiser's property of the same name, also for fields added later.</summary>
    [Theory]
    [MemberData(nameof(NonDefaultFactories))]
    public void Every_factory_property_reaches_the_optimizer_property_of_the_same_name(OptimizerFactory factory)
    {
        var optimizer = factory.Create(Params(), 0.123);
        optimizer.LearningRate.Should().Be(0.123);
        var fields = factory.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
        fields.Should().NotBeEmpty();
        foreach (var field in fields)
        {
            var target = optimizer.GetType().GetProperty(field.Name, BindingFlags.Public | BindingFlags.Instance);
            target.Should().NotBeNull($"{optimizer.GetType().Name} should expose {field.Name}");
            target!.GetValue(optimizer).Should().Be(field.GetValue(factory), $"{factory.GetType().Name}.{field.Name} must be forwarded");
        }
    }

    [Fact]
    public void The_samples_above_set_every_field_of_every_optimizer_factory_to_a_non_default_value()
    {
        var factoryTypes = typeof(OptimizerFactory).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OptimizerFactory)) && !t.IsAbstract).ToArray();
        var samples = Samples;
        samples.Select(s => s.GetType()).Distinct().Should().BeEquivalentTo(factoryTypes);
        foreach (var type in factoryTypes)
        {
            var defaults = Activator.CreateInstance(type)!;
            foreach (var field in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                samples.Where(s => s.GetType() == type).Should().Contain(s => !Equals(field.GetValue(s), field.GetValue(defaults)),
                    $"some sample should set {type.Name}.{field.Name} to a non-default value");
        }
    }

    [Fact]
    public void Invalid_fields_name_the_field_value_and_range()
    {
        var beta = () => new AdamOptimizerFactory { Beta1 = 1 }.Create(Params(), 1e-3);
        beta.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdamOptimizerFactory.Beta1 = 1 is invalid; allowed: [0, 1).*")
            .Which.ParamName.Should().Be("Beta1");
        var eps = () => new AdamWOptimizerFactory { Eps = -1 }.Validate();
        eps.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdamWOptimizerFactory.Eps = -1 is invalid; allowed: a finite number ≥ 0.*");
        var alpha = () => new RmsPropOptimizerFactory { Alpha = double.NaN }.Validate();
        alpha.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RmsPropOptimizerFactory.Alpha = NaN is invalid; allowed: [0, 1).*");
        var dampening = () => new SgdOptimizerFactory { Dampening = 2 }.Validate();
        dampening.Should().Throw<ArgumentOutOfRangeException>().WithMessage("SgdOptimizerFactory.Dampening = 2 is invalid; allowed: [0, 1].*");
        var nesterov = () => new SgdOptimizerFactory { Nesterov = true }.Validate();
        nesterov.Should().Throw<ArgumentException>().WithMessage("SgdOptimizerFactory.Nesterov = true is invalid with Momentum = 0 and Dampening = 0; allowed: Nesterov only with Momentum > 0 and Dampening = 0.*");
        var lr = () => new AdamOptimizerFactory().Create(Params(), -1e-3);
        lr.Should().Throw<ArgumentOutOfRangeException>().WithMessage("learningRate = -0.001 is invalid; allowed: a finite number ≥ 0.*");
        var inf = () => new SgdOptimizerFactory().Create(Params(), double.PositiveInfinity);
        inf.Should().Throw<ArgumentOutOfRangeException>().WithMessage("learningRate = +∞ is invalid*");
    }

    [Fact]
    public void Created_optimizer_updates_the_parameters()
    {
        var p = Tensor.Ones([2], requiresGrad: true);
        var opt = new SgdOptimizerFactory().Create([p], 0.5);
        var loss = (p * p).Sum();
        loss.Backward();
        opt.Step();
        p.ToArray().Should().Equal(0f, 0f);
    }
}

public class LrSchedulerFactoryTests
{
    private static Optimizer NewOptimizer(double lr) => new AdamOptimizerFactory().Create([Tensor.Zeros([2], requiresGrad: true)], lr);

    [Fact]
    public void Linear_decays_to_end_factor_over_the_total_updates_then_holds()
    {
        var opt = NewOptimizer(1e-3);
        var scheduler = new LinearLrSchedulerFactory().Create(opt, 10).Should().BeOfType<LinearLr>().Subject;
        (scheduler.StartFactor, scheduler.EndFactor, scheduler.TotalSteps).Should().Be((1.0, 0.0, 10L));
        opt.LearningRate.Should().Be(1e-3);
        for (var i = 0; i < 5; i++) scheduler.Step();
        opt.LearningRate.Should().BeApproximately(5e-4, 1e-15);
        for (var i = 0; i < 5; i++) scheduler.Step();
        opt.LearningRate.Should().Be(0);
        scheduler.Step();
        opt.LearningRate.Should().Be(0);
    }

    [Fact]
    public void Linear_forwards_start_and_end_factors()
    {
        var opt = NewOptimizer(1.0);
        var scheduler = (LinearLr)new LinearLrSchedulerFactory { StartFactor = 0.5, EndFactor = 0.1 }.Create(opt, 4);
        (scheduler.StartFactor, scheduler.EndFactor, scheduler.TotalSteps).Should().Be((0.5, 0.1, 4L));
        opt.LearningRate.Should().Be(0.5);
        for (var i = 0; i < 4; i++) scheduler.Step();
        opt.LearningRate.Should().BeApproximately(0.1, 1e-15);
    }

    [Fact]
    public void Constant_keeps_the_learning_rate()
    {
        var opt = NewOptimizer(3e-4);
        var scheduler = new ConstantLrSchedulerFactory().Create(opt, 100);
        scheduler.Should().BeOfType<ConstantLr>();
        for (var i = 0; i < 10; i++) scheduler.Step();
        opt.LearningRate.Should().Be(3e-4);
    }

    [Fact]
    public void Invalid_arguments_and_fields_are_reported()
    {
        var total = () => new LinearLrSchedulerFactory().Create(NewOptimizer(1e-3), 0);
        total.Should().Throw<ArgumentOutOfRangeException>().WithMessage("totalUpdates = 0 is invalid; allowed: an integer ≥ 1.*");
        var end = () => new LinearLrSchedulerFactory { EndFactor = -0.5 }.Create(NewOptimizer(1e-3), 10);
        end.Should().Throw<ArgumentOutOfRangeException>().WithMessage("LinearLrSchedulerFactory.EndFactor = -0.5 is invalid; allowed: a finite number ≥ 0.*");
    }
}
