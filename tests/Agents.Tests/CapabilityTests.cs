using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Training;
using RlExperiments.Tensors.Nn;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests;

/// <summary>The capability interfaces callers test for instead of agent types.</summary>
public sealed class CapabilityTests
{
    private static float[] Weights(Module m) => m.Parameters().SelectMany(p => p.ToArray()).ToArray();

    private static void Perturb(Module m)
    {
        foreach (var p in m.Parameters())
            for (var i = 0; i < p.Data.Length; i++) p.Data[i] += 0.25f * (i % 3 + 1);
    }

    [Fact]
    public void Dqn_SyncTargetNetworks_copies_the_q_network_into_its_target()
    {
        var (obs, act) = Spaces("CartPole-v1");
        var dqn = new DqnAgent(obs, act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: Net.Q(obs, act, [8]));
        Perturb(dqn.QNetwork);
        Weights(dqn.TargetNetwork).Should().NotEqual(Weights(dqn.QNetwork));
        ITargetNetworks targets = dqn;
        targets.SyncTargetNetworks();
        Weights(dqn.TargetNetwork).Should().Equal(Weights(dqn.QNetwork));
    }

    [Fact]
    public void Sac_SyncTargetNetworks_copies_the_critics_into_their_targets_and_leaves_the_actor()
    {
        var (obs, act) = Spaces("Pendulum-v1");
        var sac = new SacAgent(obs, act, new SacParams { BufferSize = 100, Tau = 0.005 }, 0, createActor: Net.TanhActor(obs, act, [8]), createCritic: Net.TwinQ(obs, act, [8]));
        var actor = Weights(sac.Actor);
        Perturb(sac.Critic);
        Weights(sac.CriticTarget).Should().NotEqual(Weights(sac.Critic));
        ((ITargetNetworks)sac).SyncTargetNetworks();
        Weights(sac.CriticTarget).Should().Equal(Weights(sac.Critic), "a hard copy, whatever τ");
        Weights(sac.Actor).Should().Equal(actor);
    }

    [Fact]
    public void Dqn_learning_rate_control_reaches_its_optimiser()
    {
        var (obs, act) = Spaces("CartPole-v1");
        ILearningRateControl dqn = new DqnAgent(obs, act, new DqnParams { BufferSize = 100, LearningRate = 1e-3 }, 0, createQNetwork: Net.Q(obs, act, [8]));
        dqn.LearningRate.Should().Be(1e-3);
        dqn.SetLearningRate(2.5e-4);
        dqn.LearningRate.Should().Be(2.5e-4);
        ((DqnAgent)dqn).Optimizer.LearningRate.Should().Be(2.5e-4);
        dqn.Invoking(d => d.SetLearningRate(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*learningRate = NaN*");
        dqn.Invoking(d => d.SetLearningRate(-1)).Should().Throw<ArgumentOutOfRangeException>();
        dqn.LearningRate.Should().Be(2.5e-4);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sac_learning_rate_control_reaches_the_actor_critic_and_entropy_optimisers(bool autoEntCoef)
    {
        var (obs, act) = Spaces("Pendulum-v1");
        var sac = new SacAgent(obs, act, new SacParams { BufferSize = 100, LearningRate = 3e-4, EntCoef = autoEntCoef ? 1.0 : 0.2, AutoEntCoef = autoEntCoef }, 0, createActor: Net.TanhActor(obs, act, [8]), createCritic: Net.TwinQ(obs, act, [8]));
        ILearningRateControl control = sac;
        control.LearningRate.Should().Be(3e-4);
        control.SetLearningRate(7e-5);
        var (actor, critic, alpha) = sac.Optimizers;
        actor.LearningRate.Should().Be(7e-5);
        critic.LearningRate.Should().Be(7e-5);
        if (autoEntCoef) alpha!.LearningRate.Should().Be(7e-5);
        else alpha.Should().BeNull();
        control.LearningRate.Should().Be(7e-5);
    }

    [Fact]
    public void The_algorithms_declare_their_capabilities()
    {
        var (obs, act) = Spaces("CartPole-v1");
        var dqn = new DqnAgent(obs, act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: Net.Q(obs, act, [8]));
        var ppo = new PpoAgent(obs, act, new PpoParams { NormalizeObservations = true }, 0, createNetwork: Net.ActorCritic(obs, act, [8]));
        var (pObs, pAct) = Spaces("Pendulum-v1");
        var sac = new SacAgent(pObs, pAct, new SacParams { BufferSize = 100 }, 0, createActor: Net.TanhActor(pObs, pAct, [8]), createCritic: Net.TwinQ(pObs, pAct, [8]));

        new object[] { dqn, ppo, sac }.Should().AllBeAssignableTo<ICheckpointable>();
        dqn.Should().BeAssignableTo<IEpsilonGreedy>();
        sac.Should().NotBeAssignableTo<IEpsilonGreedy>();
        ppo.Should().NotBeAssignableTo<ILearningRateControl>("PPO recomputes its learning rate from its params before every update");
        ppo.Should().NotBeAssignableTo<ITargetNetworks>();
        ((IObservationNormalized)ppo).ObservationNormalizer.Should().BeSameAs(ppo.ObservationNormalizer).And.NotBeNull();

        IEpsilonGreedy greedy = dqn;
        greedy.FixedEpsilon = 0.3;
        greedy.Epsilon.Should().Be(0.3);
        greedy.Epsilon = 0.1;
        dqn.Epsilon.Should().Be(0.1);
    }
}
