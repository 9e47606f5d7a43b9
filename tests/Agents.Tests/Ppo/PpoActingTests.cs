using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Tests.Ppo;

/// <summary>Rollout acting through compiled plans gives exactly what the module path gives.</summary>
public class PpoActingTests
{
    /// <summary>A module a plan cannot compile (forces the agent onto the module path) with the wrapped network's values.</summary>
    private sealed class Opaque : Module
    {
        private readonly Module _inner;

        public Opaque(Module inner) => _inner = RegisterModule("inner", inner);

        public override Tensor Forward(Tensor input) => _inner.Forward(input);
    }

    private static PpoAgent Create(bool opaque) =>
        new(new Box(-5f, 5f, 4), new Discrete(3), new PpoParams(), seed: 11, createNetwork: rng =>
        {
            var actor = new Mlp(4, [64, 64], 3, Activation.Tanh, rng);
            var critic = new Mlp(4, [64, 64], 1, Activation.Tanh, rng);
            return opaque
                ? new ActorCriticNetwork(new Opaque(actor), new Opaque(critic), 4, 3, continuous: false, logStdInit: 0f)
                : new ActorCriticNetwork(actor, critic, 4, 3, continuous: false, logStdInit: 0f);
        });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void RolloutActionsValuesAndLogProbsEqualTheModulePathBitForBit(int rows)
    {
        var planned = Create(opaque: false);
        var modules = Create(opaque: true);
        var obs = new float[rows * 4];
        var rng = new Rng(3);
        for (var step = 0; step < 50; step++)
        {
            rng.FillNormal(obs);
            var (a1, v1, l1) = (new float[rows], new float[rows], new float[rows]);
            var (a2, v2, l2) = (new float[rows], new float[rows], new float[rows]);
            planned.ActForRollout(obs, a1, v1, l1);
            modules.ActForRollout(obs, a2, v2, l2);
            a1.Should().Equal(a2, $"step {step}");
            v1.Should().Equal(v2, $"step {step}");
            l1.Should().Equal(l2, $"step {step}");
        }
    }
}
