using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Networks;

namespace RlExperiments.Factories.Tests;

public class ModelFactoryTests
{
    private static readonly Box Obs = new([-1f, -1f, -1f], [1f, 1f, 1f]);
    private static readonly Discrete TwoActions = new(2);
    private static readonly Box Torque = new([-2f], [2f]);

    private static int[] OutputShape(Module module, int inputs)
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        return module.Forward(Tensor.Zeros([5, inputs])).Shape.ToArray();
    }

    [Fact]
    public void QNetworkFactoryDefault_makes_an_mlp_or_a_dueling_network_with_one_output_per_action()
    {
        var mlp = new QNetworkFactoryDefault { HiddenSizes = [8] }.Create(Obs, TwoActions, new Rng(1));
        mlp.Should().BeOfType<Mlp>();
        OutputShape(mlp, 3).Should().Equal(5, 2);
        var dueling = new QNetworkFactoryDefault { HiddenSizes = [8], Dueling = true }.Create(Obs, TwoActions, new Rng(1));
        dueling.Should().BeOfType<DuelingQNetwork>();
        var wrong = () => new QNetworkFactoryDefault().Create(Obs, Torque, new Rng(1));
        wrong.Should().Throw<ArgumentException>().WithMessage("*Discrete action space*");
    }

    [Fact]
    public void ActorFactoryDefault_gives_logits_on_discrete_and_means_on_box_spaces()
    {
        OutputShape(new ActorFactoryDefault().Create(Obs, new Discrete(4), new Rng(1)), 3).Should().Equal(5, 4);
        OutputShape(new ActorFactoryDefault { HiddenSizes = [] }.Create(Obs, Torque, new Rng(1)), 3).Should().Equal(5, 1);
    }

    [Fact]
    public void OrthoInit_scales_the_output_layer()
    {
        var plain = (Mlp)new ActorFactoryDefault { HiddenSizes = [16] }.Create(Obs, TwoActions, new Rng(1));
        var ortho = (Mlp)new ActorFactoryDefault { HiddenSizes = [16], OrthoInit = true }.Create(Obs, TwoActions, new Rng(1));
        static double Norm(Mlp m) => Math.Sqrt(m.LinearLayers.Last().NamedParameters().First(p => p.Name == "weight").Parameter.ToArray().Sum(v => (double)v * v));
        Norm(ortho).Should().BeLessThan(Norm(plain) / 5, "the policy head is initialised with gain 0.01");
        ortho.LinearLayers.Last().NamedParameters().First(p => p.Name == "bias").Parameter.ToArray().Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void Critics_take_the_action_only_for_Q_functions()
    {
        var factory = new CriticFactoryDefault { HiddenSizes = [8] };
        OutputShape(factory.Create(Obs, Torque, useAction: false, new Rng(1)), 3).Should().Equal(5, 1);
        OutputShape(factory.Create(Obs, Torque, useAction: true, new Rng(1)), 4).Should().Equal(5, 1);
        var discreteQ = () => factory.Create(Obs, TwoActions, useAction: true, new Rng(1));
        discreteQ.Should().Throw<ArgumentException>().WithMessage("*Box action*");
    }

    [Fact]
    public void TanhGaussianActorFactoryDefault_makes_a_sac_actor()
    {
        var actor = new TanhGaussianActorFactoryDefault { HiddenSizes = [8] }.Create(Obs, Torque, new Rng(1));
        actor.Should().BeOfType<TanhGaussianActor>();
        actor.ActionSize.Should().Be(1);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        var a = new CriticFactoryDefault { OrthoInit = true }.Create(Obs, Torque, true, new Rng(5)).Parameters().SelectMany(p => p.ToArray());
        var b = new CriticFactoryDefault { OrthoInit = true }.Create(Obs, Torque, true, new Rng(5)).Parameters().SelectMany(p => p.ToArray());
        a.Should().Equal(b);
    }

    [Fact]
    public void Records_compare_hidden_sizes_by_content_and_validate_with_field_names()
    {
        new QNetworkFactoryDefault { HiddenSizes = new List<int> { 4, 4 } }.Should().Be(new QNetworkFactoryDefault { HiddenSizes = [4, 4] });
        new CriticFactoryDefault { HiddenSizes = [4] }.Should().NotBe(new CriticFactoryDefault { HiddenSizes = [5] });
        new ActorFactoryDefault { HiddenSizes = [3] }.ToString().Should().Contain("HiddenSizes = [3]");
        var invalid = () => new QNetworkFactoryDefault { HiddenSizes = [], Dueling = true }.Validate();
        invalid.Should().Throw<ArgumentException>().WithMessage("QNetworkFactoryDefault.HiddenSizes = [] is invalid*Dueling*");
        var activation = () => new CriticFactoryDefault { Activation = (Activation)42 }.Validate();
        activation.Should().Throw<ArgumentOutOfRangeException>().WithMessage("CriticFactoryDefault.Activation = 42 is invalid*ReLU*");
    }
}
