using RlExperiments.Experiments.Algorithms;
using RlExperiments.Tuning;

using RlExperiments.Experiments;

namespace RlExperiments.AutoRL;

/// <summary>
/// How an <see cref="AutoRLEnv"/> is set up (ARLBench's <c>DEFAULT_AUTO_RL_CONFIG</c>, field for field, plus
/// <see cref="AutoRLObjective.CpuTime"/>, more state features and the params a partial configuration starts from).
/// Plain data: it serialises as JSON and is written into every checkpoint.
/// </summary>
public sealed record AutoRLEnvConfig
{
    /// <summary>Seeds network initialisation, the agent's random streams and the environments (training and evaluation seeds derive from it and never overlap). Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>A registered environment id. Default "CartPole-v1".</summary>
    public string EnvId { get; init; } = "CartPole-v1";

    /// <summary>Keyword arguments for every environment, e.g. <c>{"g": 9.81}</c>. Default: none.</summary>
    public IReadOnlyDictionary<string, object?>? EnvKwargs { get; init; }

    /// <summary>Keyword arguments for the evaluation environments, replacing <see cref="EnvKwargs"/>. Default: null, the same as training.</summary>
    public IReadOnlyDictionary<string, object?>? EvalEnvKwargs { get; init; }

    /// <summary>Training environments stepped together (and evaluation environments). Default 10 (ARLBench). Allowed: ≥ 1.</summary>
    public int NumEnvs { get; init; } = 10;

    /// <summary>
    /// The algorithm trained: the name of a module in the <see cref="AlgorithmRegistry"/> the environment is given
    /// (case-insensitive), e.g. "DQN", "PPO", "SAC". Default "DQN".
    /// </summary>
    public string Algorithm { get; init; } = "DQN";

    /// <summary>
    /// The algorithm's factory whose params configurations override (keys a configuration lacks keep these values); its
    /// model factories describe the networks (and <see cref="Nas"/> overrides them). Default: null, the module's default factory.
    /// Allowed: null or a factory of <see cref="Algorithm"/>.
    /// </summary>
    public AlgorithmFactory? Basis { get; init; }

    /// <summary>Whether evaluations use the greedy / mean action. Default true.</summary>
    public bool DeterministicEval { get; init; } = true;

    /// <summary>
    /// With <see cref="DeterministicEval"/> false, the ε an ε-greedy agent (DQN) evaluates with, its training ε put back
    /// afterwards (ARLBench's <c>eval_eps</c>; the trainer's <see cref="Agents.Training.TrainerConfig.EvalEps"/>). Ignored by
    /// agents that are not ε-greedy. Default: 0.05 (ARLBench's). Allowed: [0, 1].
    /// </summary>
    public double EvalEps { get; init; } = 0.05;

    /// <summary>
    /// The network: a configuration of the algorithm's NAS space (<see cref="AlgorithmModule.NasSpace"/>: activation and
    /// hidden_size, two hidden layers). Fixed for the whole environment. Default: null, meaning the network of
    /// <see cref="Basis"/>'s model factories.
    /// </summary>
    public Configuration? Nas { get; init; }

    /// <summary>What each step returns, in this order. Default: [RewardMean]. Allowed: at least one, no repeats; Emissions only where the machine exposes an energy counter.</summary>
    public IReadOnlyList<AutoRLObjective> Objectives { get; init; } = [AutoRLObjective.RewardMean];

    /// <summary>Sign convention of the returned objectives. Default: Upper (ARLBench: everything is maximised, so times and the std are negated).</summary>
    public ObjectiveOrientation OptimizeObjectives { get; init; } = ObjectiveOrientation.Upper;

    /// <summary>Observation entries after the two step counters. Default: none. Allowed: no repeats.</summary>
    public IReadOnlyList<AutoRLStateFeature> StateFeatures { get; init; } = [];

    /// <summary>When checkpoints are written. Default None.</summary>
    public AutoRLCheckpointMode Checkpoint { get; init; } = AutoRLCheckpointMode.None;

    /// <summary>Where checkpoints go: <c>&lt;dir&gt;/&lt;CheckpointName&gt;/episode_&lt;E&gt;/checkpoints/&lt;step&gt;/</c>. Required unless <see cref="Checkpoint"/> is None.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>The folder name for this environment's checkpoints. Default "default_checkpoint" (ARLBench).</summary>
    public string CheckpointName { get; init; } = "default_checkpoint";

    /// <summary>Steps per episode: after this many <see cref="AutoRLEnv.Step"/> calls the episode is truncated. 1 = static HPO. Default 10. Allowed: ≥ 1.</summary>
    public int NSteps { get; init; } = 10;

    /// <summary>Environment steps trained per <see cref="AutoRLEnv.Step"/> call (summed over environments). Default 100,000. Allowed: ≥ NumEnvs · NEvalSteps.</summary>
    public int NTotalTimesteps { get; init; } = 100_000;

    /// <summary>Evaluations spread evenly over one step's training; the last one gives reward_mean and reward_std. Default 10 (ARLBench's example configs; its code default, 100, evaluates more than it trains on CartPole). Allowed: ≥ 1.</summary>
    public int NEvalSteps { get; init; } = 10;

    /// <summary>Episodes per evaluation. Default 10. Allowed: ≥ 1 (at least 2 for a meaningful reward_std).</summary>
    public int NEvalEpisodes { get; init; } = 10;

    /// <summary>Grams of CO₂-equivalent per kWh, for <see cref="AutoRLObjective.Emissions"/>. Default 475 (IEA world average). Allowed: ≥ 0.</summary>
    public double CarbonIntensity { get; init; } = 475;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field, its value and what is allowed.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(EnvId)) Fail(nameof(EnvId), EnvId, "a registered environment id");
        if (NumEnvs < 1) Fail(nameof(NumEnvs), NumEnvs, "≥ 1");
        if (!(EvalEps >= 0 && EvalEps <= 1)) Fail(nameof(EvalEps), EvalEps, "[0, 1]");
        if (string.IsNullOrWhiteSpace(Algorithm)) Fail(nameof(Algorithm), Algorithm ?? "null", "the name of a registered algorithm");
        if (Basis is not null && !string.Equals(Basis.AlgorithmName, Algorithm, StringComparison.OrdinalIgnoreCase))
            Fail(nameof(Basis), Basis.AlgorithmName, $"null or a factory of {Algorithm}");
        if (Objectives is null || Objectives.Count == 0)
            throw new ArgumentException($"{nameof(AutoRLEnvConfig)}.{nameof(Objectives)} is empty; allowed: at least one of {string.Join(", ", Enum.GetNames<AutoRLObjective>())}.", nameof(Objectives));
        if (Objectives.Distinct().Count() != Objectives.Count) Fail(nameof(Objectives), string.Join(", ", Objectives), "each objective at most once");
        foreach (var o in Objectives) if (!Enum.IsDefined(o)) Fail(nameof(Objectives), o, string.Join(", ", Enum.GetNames<AutoRLObjective>()));
        if (!Enum.IsDefined(OptimizeObjectives)) Fail(nameof(OptimizeObjectives), OptimizeObjectives, "Natural, Upper or Lower");
        if (StateFeatures is null)
            throw new ArgumentException($"{nameof(AutoRLEnvConfig)}.{nameof(StateFeatures)} = null is invalid; allowed: a list (empty for none).", nameof(StateFeatures));
        if (StateFeatures.Distinct().Count() != StateFeatures.Count) Fail(nameof(StateFeatures), string.Join(", ", StateFeatures), "each feature at most once");
        foreach (var f in StateFeatures) if (!Enum.IsDefined(f)) Fail(nameof(StateFeatures), f, string.Join(", ", Enum.GetNames<AutoRLStateFeature>()));
        if (!Enum.IsDefined(Checkpoint)) Fail(nameof(Checkpoint), Checkpoint, "None, EveryStep or Final");
        if (Checkpoint != AutoRLCheckpointMode.None && string.IsNullOrWhiteSpace(CheckpointDirectory))
            Fail(nameof(CheckpointDirectory), CheckpointDirectory ?? "null", $"a directory when Checkpoint is {Checkpoint}");
        if (string.IsNullOrWhiteSpace(CheckpointName) || CheckpointName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            Fail(nameof(CheckpointName), CheckpointName, "a non-empty file name");
        if (NSteps < 1) Fail(nameof(NSteps), NSteps, "≥ 1");
        if (NEvalSteps < 1) Fail(nameof(NEvalSteps), NEvalSteps, "≥ 1");
        if (NEvalEpisodes < 1) Fail(nameof(NEvalEpisodes), NEvalEpisodes, "≥ 1");
        CheckBudget(NTotalTimesteps, NEvalSteps, NumEnvs, nameof(NTotalTimesteps));
        if (!(CarbonIntensity >= 0) || double.IsInfinity(CarbonIntensity)) Fail(nameof(CarbonIntensity), CarbonIntensity, "a finite number ≥ 0");
    }

    /// <summary>
    /// The AutoRL set-up that trains what <paramref name="experiment"/> trains, as one step (static HPO): its environment
    /// and kwargs, training environments, algorithm and params (with the sampling overrides applied), seed, test episodes
    /// and total environment steps (<see cref="NTotalTimesteps"/>), and a stochastic test with its ε
    /// (<see cref="DeterministicEval"/> false, <see cref="EvalEps"/>) when its test callback asks for one.
    /// </summary>
    /// <exception cref="NotSupportedException">The experiment uses what an AutoRL configuration cannot carry: a derived
    /// environment factory (custom wrappers) or an optimiser factory. Its model factories are kept in
    /// <see cref="Basis"/> (<see cref="AlgorithmFactory.FoldSampling"/>); a NAS configuration needs default ones.</exception>
    public static AutoRLEnvConfig FromExperiment(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var def = experiment.Definition;
        if (def.EnvFactory.GetType() != typeof(RlExperiments.Factories.EnvFactory))
            throw new NotSupportedException($"The experiment's environment factory is a {def.EnvFactory.GetType().Name}; AutoRL (and hyperparameter optimisation through it) builds plain EnvFactory environments, so custom wrappers would be lost. Allowed: EnvFactory.");
        var algorithm = def.Algorithm;
        if (algorithm.OptimizerFactory is not null)
            throw new NotSupportedException($"The experiment sets an optimiser factory ({algorithm.OptimizerFactory.GetType().Name}); AutoRL trains with each algorithm's own Adam. Allowed: none.");
        var resolved = algorithm.Resolve(def.Sampling);
        var numEnvs = resolved.NumTrainEnvs;
        var config = new AutoRLEnvConfig
        {
            Seed = def.Config.Seed,
            EnvId = def.EnvFactory.EnvId,
            EnvKwargs = def.EnvFactory.Kwargs,
            EvalEnvKwargs = def.EnvFactory.TestKwargs,
            NumEnvs = numEnvs,
            NSteps = 1,
            NTotalTimesteps = (int)Math.Min(int.MaxValue, resolved.TotalSteps),
            NEvalSteps = 1,
            NEvalEpisodes = Math.Max(1, resolved.NumTestEpisodes),
        };
        // The experiment's test ε (EpochTestCallbackDQNSetEps) is the trainer's EvalEps: tuning evaluates as the experiment tests.
        if (def.EpochTestCallback is { RequiresStochasticTest: true } test)
            config = config with { DeterministicEval = false, EvalEps = test.TestEpsilon ?? config.EvalEps };
        return config with { Algorithm = algorithm.AlgorithmName, Basis = algorithm.FoldSampling(def.Sampling, numEnvs) };
    }

    /// <summary>Checks that a step's budget gives every evaluation block at least one vector step.</summary>
    internal static void CheckBudget(long totalTimesteps, int evalSteps, int numEnvs, string field)
    {
        if (totalTimesteps < (long)evalSteps * numEnvs)
            throw new ArgumentOutOfRangeException(field, totalTimesteps,
                $"{nameof(AutoRLEnvConfig)}.{field} = {totalTimesteps} is invalid with NEvalSteps = {evalSteps} and NumEnvs = {numEnvs}; allowed: ≥ {(long)evalSteps * numEnvs} (one vector step per evaluation block at least).");
    }

    private static void Fail(string field, object value, string allowed) =>
        throw new ArgumentException($"{nameof(AutoRLEnvConfig)}.{field} = {value} is invalid; allowed: {allowed}.", field);
}
