using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Ddpg;
using RlExperiments.Experiments.Algorithms.DiscreteSac;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Iqn;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Experiments.Algorithms.Pg;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Redq;
using RlExperiments.Experiments.Algorithms.Sac;
using RlExperiments.Experiments.Algorithms.Td3;
using RlExperiments.Experiments.Algorithms.Trpo;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>The built-in algorithm modules: the one list in the framework that names them (one line per algorithm).</summary>
public static class BuiltInAlgorithms
{
    /// <summary>The built-in modules, in the order listings show them.</summary>
    public static IReadOnlyList<AlgorithmModule> All { get; } =
    [
        new DqnModule(),
        new PpoModule(),
        new SacModule(),
        new PgModule(),
        new A2cModule(),
        new NpgModule(),
        new TrpoModule(),
        new DdpgModule(),
        new Td3Module(),
        new IqnModule(),
        new RedqModule(),
        new DiscreteSacModule(),
    ];
}
