using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Tests;

/// <summary>
/// Networks of other sizes than the agents' defaults, for tests that want small or linear ones. Params records hold no
/// network; an agent takes its networks from these delegates, as experiments pass what their model factories build.
/// </summary>
internal static class Net
{
    private static int Outputs(Space act) => act is Discrete d ? d.N : act.FlatSize;

    public static Func<Rng, Module> Q(Space obs, Space act, IReadOnlyList<int> hidden, bool dueling = false) =>
        rng => dueling ? new DuelingQNetwork(obs.FlatSize, hidden, Outputs(act), Activation.ReLU, rng) : new Mlp(obs.FlatSize, hidden, Outputs(act), Activation.ReLU, rng);

    public static Func<Rng, ImplicitQuantileNetwork> Iqn(Space obs, Space act, IReadOnlyList<int> hidden, IReadOnlyList<int>? head = null, int numQuantiles = 200) =>
        rng => new ImplicitQuantileNetwork(new Sequential(Mlp.HiddenLayers(obs.FlatSize, hidden, Activation.ReLU, rng, out var width)), width, Outputs(act),
            head ?? [], Activation.ReLU, 64, numQuantiles, rng);

    public static Func<Rng, ActorCriticNetwork> ActorCritic(Space obs, Space act, IReadOnlyList<int> hidden, bool share = false) =>
        rng => new ActorCriticNetwork(obs.FlatSize, Outputs(act), act is Box, hidden, Activation.Tanh, share, orthoInit: true, 0f, rng);

    public static Func<Rng, TanhGaussianActor> TanhActor(Space obs, Space act, IReadOnlyList<int> hidden) =>
        rng => new TanhGaussianActor(obs.FlatSize, hidden, act.FlatSize, Activation.ReLU, -20f, 2f, rng);

    public static Func<Rng, TwinQCritic> TwinQ(Space obs, Space act, IReadOnlyList<int> hidden) =>
        rng => new TwinQCritic(obs.FlatSize, act.FlatSize, hidden, Activation.ReLU, rng);

    public static Func<Rng, DeterministicActor> Deterministic(Space obs, Space act, IReadOnlyList<int> hidden) =>
        rng => new DeterministicActor(obs.FlatSize, hidden, act.FlatSize, Activation.ReLU, rng);

    public static Func<Rng, QCritic> QCritic(Space obs, Space act, IReadOnlyList<int> hidden) =>
        rng => new QCritic(obs.FlatSize, act.FlatSize, hidden, Activation.ReLU, rng);

    public static Func<Rng, Module> Logits(Space obs, Space act, IReadOnlyList<int> hidden) =>
        rng => new Mlp(obs.FlatSize, hidden, Outputs(act), Activation.ReLU, rng);

    public static Func<Rng, TwinDiscreteQCritic> TwinDiscrete(Space obs, Space act, IReadOnlyList<int> hidden) =>
        rng => new TwinDiscreteQCritic(obs.FlatSize, Outputs(act), hidden, Activation.ReLU, rng);

    public static Func<Rng, EnsembleQCritic> Ensemble(Space obs, Space act, int members, IReadOnlyList<int> hidden) =>
        rng => new EnsembleQCritic(members, obs.FlatSize, act.FlatSize, hidden, Activation.ReLU, rng);
}
