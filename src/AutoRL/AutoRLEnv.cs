using System.Diagnostics;
using System.Text.Json;
using RlExperiments.Agents;
using System.Globalization;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Tuning;
using RlExperiments.Factories;

namespace RlExperiments.AutoRL;

/// <summary>
/// ARLBench's AutoRL environment, natively: the action is a hyperparameter <see cref="Configuration"/>, and one
/// <see cref="Step"/> trains the agent for <see cref="AutoRLEnvConfig.NTotalTimesteps"/> environment steps with it,
/// carrying the agent (networks, optimiser state, replay buffer, random streams) and the environments over from the
/// previous step, then returns the objectives. With <see cref="AutoRLEnvConfig.NSteps"/> = 1 it is static HPO (one
/// training run per episode); with more steps a controller can change the configuration during training.
/// </summary>
/// <remarks>
/// <para>Every step builds the algorithm anew from the configuration and loads the previous step's state through the same
/// checkpoint files a crashed run resumes from, so continuing in memory and continuing from a checkpoint on disk
/// (<c>checkpointPath</c>) are one code path and give identical results. After loading, the new configuration's
/// learning rate is pushed into the optimisers: the checkpoint's optimiser state holds the old one (ARLBench issue #41).</para>
/// <para>Structure is fixed within an episode: the replay buffer's size (<c>buffer_size</c>) and PPO's observation
/// normalisation; the network is fixed by <see cref="AutoRLEnvConfig.Nas"/>. Changing them between steps is an error
/// naming the hyperparameter; <see cref="Reset"/> starts a new episode in which they may differ.</para>
/// <para>Not thread-safe; run parallel trials with one environment each.</para>
/// </remarks>
public sealed class AutoRLEnv : IDisposable
{
    private const string StateFormat = "rlexperiments.autorl-state/1";
    private const string StateFile = "autorl.json";
    private const string EnvsFile = "envs.bin";
    private const string AgentDirectory = "agent";
    private static readonly JsonSerializerOptions Json = new(RunCheckpoints.JsonOptions);

    private readonly EnvironmentSet _envs;
    private readonly Evaluator _evaluator;
    private readonly EnergyCounter? _energy;
    private readonly StepMetrics _metrics = new();
    private readonly string _carryDirectory;
    private readonly List<string> _checkpoints = new();
    private IAgent? _agent;
    private TrainerState? _trainerState;
    private int _episode;
    private int _step;
    private Configuration? _current;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates the environments and checks the configuration.</summary>
    /// <param name="config">The set-up; null for ARLBench's defaults (DQN on CartPole-v1).</param>
    /// <param name="registry">Where the environment id is looked up; null for <see cref="EnvRegistry.Default"/>.</param>
    /// <param name="algorithms">Where <see cref="AutoRLEnvConfig.Algorithm"/> is looked up; null for <see cref="AlgorithmRegistry.Default"/>.</param>
    /// <exception cref="ArgumentException">An invalid field (named, with its value and what is allowed), an unknown environment, or an algorithm that cannot act in its spaces.</exception>
    /// <exception cref="NotSupportedException">The emissions objective on a machine without an energy counter.</exception>
    public AutoRLEnv(AutoRLEnvConfig? config = null, EnvRegistry? registry = null, AlgorithmRegistry? algorithms = null)
    {
        Config = config ?? new AutoRLEnvConfig();
        Config.Validate();
        Module = (algorithms ?? AlgorithmRegistry.Default).Get(Config.Algorithm);
        if (Config.Objectives.Contains(AutoRLObjective.Emissions))
        {
            _energy = EnergyCounter.TryOpen(out var reason) ?? throw new NotSupportedException(
                $"AutoRLEnvConfig.Objectives contains Emissions, but this machine exposes no energy counter: {reason}. " +
                "Allowed here: RewardMean, RewardStd, Runtime, CpuTime.");
        }
        ConfigSpace = Module.AutoRLSpace();
        NasSpace = Module.NasSpace();
        if (Config.Nas is not null) NasSpace.Validate(Config.Nas);

        var envFactory = new EnvFactory { EnvId = Config.EnvId, Kwargs = Config.EnvKwargs ?? Kwargs.Empty, TestKwargs = Config.EvalEnvKwargs };
        _envs = envFactory.Create(Config.NumEnvs, Config.NumEnvs, Config.Seed, registry);
        try
        {
            CreateAlgorithm(ConfigSpace.Default).CheckSpaces(_envs.ObservationSpace, _envs.ActionSpace, Config.EnvId);
        }
        catch
        {
            _envs.Dispose();
            throw;
        }
        _evaluator = new Evaluator(_envs.Test!);
        _carryDirectory = Path.Combine(Path.GetTempPath(), "rlexperiments-autorl-" + Guid.NewGuid().ToString("N"));
        ObservationNames = ["step", "env_steps", .. Config.StateFeatures.SelectMany(FeatureNames)];
    }

    /// <summary>The set-up this environment was created with.</summary>
    public AutoRLEnvConfig Config { get; }

    /// <summary>The module of the algorithm trained (<see cref="AutoRLEnvConfig.Algorithm"/>).</summary>
    public AlgorithmModule Module { get; }

    /// <summary>
    /// The hyperparameters a step's configuration may set: the module's <see cref="AlgorithmModule.AutoRLSpace"/> (ARLBench's
    /// space for the algorithm without what the agent cannot apply, e.g. observation normalisation for DQN and SAC). A
    /// configuration may hold a subset; missing keys keep the episode's previous values (the params of <see cref="AutoRLEnvConfig.Basis"/> at its first step).
    /// Values outside the space's ranges are accepted when the params accept them (ARLBench's own benchmark spaces, e.g.
    /// batch sizes up to 256 for DQN, go beyond it); invalid values are refused by the params, naming the field.
    /// </summary>
    public ConfigurationSpace ConfigSpace { get; }

    /// <summary>The algorithm's network space, which <see cref="AutoRLEnvConfig.Nas"/> configures.</summary>
    public ConfigurationSpace NasSpace { get; }

    /// <summary>What each entry of an observation is: <c>step</c>, <c>env_steps</c>, then the state features' entries.</summary>
    public IReadOnlyList<string> ObservationNames { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int CurrentStep => _step;

    /// <summary>Episodes started (by <see cref="Reset"/>).</summary>
    public int Episode => _episode;

    /// <summary>The checkpoints written so far, oldest first.</summary>
    public IReadOnlyList<string> Checkpoints => _checkpoints;

    /// <summary>The agent after the last step (null before the first step of an episode).</summary>
    public IAgent? Agent => _agent;

    /// <summary>
    /// Starts a new episode: the next <see cref="Step"/> creates a fresh agent (seeded with
    /// <see cref="AutoRLEnvConfig.Seed"/> or the step's seed) and resets the environments.
    /// </summary>
    /// <returns>The initial observation (zeros) and no info.</returns>
    public double[] Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _agent = null;
        _trainerState = null;
        _current = null;
        _step = 0;
        _episode++;
        _started = true;
        DeleteCarry();
        return new double[ObservationNames.Count];
    }

    /// <summary>
    /// Trains with <paramref name="configuration"/> for a step's budget, continuing the agent of the previous step, and
    /// returns the observation, the objectives and the training curve.
    /// </summary>
    /// <param name="configuration">
    /// Hyperparameters: a (partial) configuration of <see cref="ConfigSpace"/>, merged into the configuration of the episode
    /// so far as ARLBench does (keys it lacks keep the previous step's values, or <see cref="AutoRLEnvConfig.Basis"/>'s at
    /// the first step; after a <paramref name="checkpointPath"/>, the checkpoint's). The step's info carries the merged one.
    /// </param>
    /// <param name="nTotalTimesteps">This step's budget in environment steps; default <see cref="AutoRLEnvConfig.NTotalTimesteps"/>.</param>
    /// <param name="nEvalSteps">Evaluations in this step; default <see cref="AutoRLEnvConfig.NEvalSteps"/>.</param>
    /// <param name="nEvalEpisodes">Episodes per evaluation; default <see cref="AutoRLEnvConfig.NEvalEpisodes"/>.</param>
    /// <param name="seed">Only on the first step of an episode: seeds the agent and the environments instead of <see cref="AutoRLEnvConfig.Seed"/>.</param>
    /// <param name="checkpointPath">A checkpoint (from <see cref="Checkpoints"/>, of an environment with the same algorithm, environment and NumEnvs) to continue from instead of the previous step.</param>
    /// <exception cref="InvalidOperationException">Step before <see cref="Reset"/>, or after the episode was truncated.</exception>
    /// <exception cref="ArgumentException">An invalid configuration or budget (named), a seed on a continuing step, or a structural change within the episode.</exception>
    public AutoRLStepResult Step(Configuration configuration, int? nTotalTimesteps = null, int? nEvalSteps = null,
        int? nEvalEpisodes = null, int? seed = null, string? checkpointPath = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started) throw new InvalidOperationException("Call Reset() before Step(): Reset starts an episode (the next step creates a fresh agent).");
        if (_step >= Config.NSteps)
            throw new InvalidOperationException($"The episode was truncated after NSteps = {Config.NSteps} steps; call Reset() to start a new one.");
        ArgumentNullException.ThrowIfNull(configuration);
        var budget = nTotalTimesteps ?? Config.NTotalTimesteps;
        var evalSteps = nEvalSteps ?? Config.NEvalSteps;
        var evalEpisodes = nEvalEpisodes ?? Config.NEvalEpisodes;
        if (evalSteps < 1) throw new ArgumentOutOfRangeException(nameof(nEvalSteps), evalSteps, $"nEvalSteps = {evalSteps} is invalid; allowed: ≥ 1.");
        if (evalEpisodes < 1) throw new ArgumentOutOfRangeException(nameof(nEvalEpisodes), evalEpisodes, $"nEvalEpisodes = {evalEpisodes} is invalid; allowed: ≥ 1.");
        AutoRLEnvConfig.CheckBudget(budget, evalSteps, Config.NumEnvs, nameof(nTotalTimesteps));
        CheckKeys(configuration);
        var continueFrom = checkpointPath ?? (_trainerState is null ? null : _carryDirectory);
        if (checkpointPath is not null && RunCheckpoints.Verify(checkpointPath) is { } problem)
            throw new ArgumentException($"checkpointPath '{checkpointPath}' is not an intact AutoRL checkpoint: {problem}.", nameof(checkpointPath));

        // ARLBench's semantics: a step's (partial) configuration is merged into the configuration the agent trained with so far.
        configuration = Merge(checkpointPath is not null ? SavedConfiguration(checkpointPath) : _current, configuration);
        var algorithm = CreateAlgorithm(configuration);

        if (seed is not null && continueFrom is not null)
            throw new ArgumentException(
                $"seed = {seed} is only allowed on the first step of an episode (it seeds network initialisation and the environments); " +
                "this step continues the previous state and its random streams. Call Reset() first to start over with a new seed.", nameof(seed));

        var runSeed = seed ?? Config.Seed;
        var sampling = StepSampling;
        var resolved = algorithm.Resolve(sampling);
        algorithm.ValidateEffective(sampling, resolved, train: false);
        var agent = algorithm.CreateAgent(_envs.ObservationSpace, _envs.ActionSpace, sampling, resolved, runSeed);
        var seeds = SeedStreams.FromSeed(runSeed).EnvironmentSeeds(Config.NumEnvs, Config.NumEnvs);
        // A fresh agent's optimisers hold the configuration's learning rate; a loaded state carries the previous one.
        var learningRate = (agent as ILearningRateControl)?.LearningRate;
        TrainerState state;
        if (continueFrom is not null)
        {
            state = LoadState(continueFrom, agent, algorithm, configuration);
        }
        else
        {
            _envs.Train.Reset(seeds.Train);
            _envs.Test!.Reset(seeds.Test);
            state = new TrainerState(0, 0, 0, double.NaN, -1, double.NaN, 0, 0);
        }
        if (learningRate is { } lr) ((ILearningRateControl)agent).SetLearningRate(lr);

        // Each evaluation block is one trainer epoch; the evaluation itself runs here (not in the trainer) so that the
        // training time excludes it exactly and every episode's return is kept.
        var curve = new List<AutoRLEvaluation>(evalSteps);
        EvaluationResult? last = null;
        var evalWall = TimeSpan.Zero;
        var evalCpu = TimeSpan.Zero;
        double evalJoules = 0;
        var callbacks = new TrainerCallbacks
        {
            OnEpochEnd = info =>
            {
                var wall = Stopwatch.GetTimestamp();
                var cpu = CpuClock.ThreadTime();
                var energy = _energy?.Read();
                last = _evaluator.Evaluate(agent, evalEpisodes, Config.DeterministicEval, epsilon: Config.EvalEps);
                curve.Add(new AutoRLEvaluation(info.EnvSteps, last.Mean, last.Std));
                evalWall += Stopwatch.GetElapsedTime(wall);
                evalCpu += CpuClock.ThreadTime() - cpu;
                if (energy is not null) evalJoules += _energy!.JoulesBetween(energy, _energy.Read());
            },
        };
        var trainerConfig = new TrainerConfig(evalSteps, budget / evalSteps, NumTestEpisodes: 0, Config.DeterministicEval, EvalEps: Config.EvalEps);
        _metrics.Clear();
        var trainer = algorithm.CreateTrainer(agent, new TrainerEnvironments(_envs.Train, null, seeds), trainerConfig, callbacks, _metrics, metricsInterval: 1);
        trainer.ContinueFrom(state);
        var planned = (long)Config.NSteps * Config.NTotalTimesteps;
        trainer.ScheduleTotalSteps = Math.Max(planned, state.EnvSteps + trainerConfig.TotalSteps);

        var startWall = Stopwatch.GetTimestamp();
        var startCpu = CpuClock.ThreadTime();
        var startEnergy = _energy?.Read();
        var result = trainer.Run();
        var runtime = Stopwatch.GetElapsedTime(startWall) - evalWall;
        var cpuTime = CpuClock.ThreadTime() - startCpu - evalCpu;
        var joules = startEnergy is null ? double.NaN : _energy!.JoulesBetween(startEnergy, _energy.Read()) - evalJoules;

        _agent = agent;
        _current = configuration;
        _trainerState = trainer.GetState();
        _step++;
        var truncated = _step >= Config.NSteps;
        string? checkpoint = null;
        if (Config.Checkpoint == AutoRLCheckpointMode.EveryStep || (Config.Checkpoint == AutoRLCheckpointMode.Final && truncated))
            checkpoint = WriteCheckpoint(agent, algorithm, configuration);
        if (!truncated)
        {
            DeleteCarry();
            SaveState(_carryDirectory, agent, algorithm, configuration);
        }

        var info = new AutoRLStepInfo(configuration, curve, last!.Returns, result.EnvSteps, result.GradientSteps, runtime, cpuTime, checkpoint);
        return new AutoRLStepResult(Observe(last), Objectives(last, runtime, cpuTime, joules), Terminated: false, truncated, info);
    }

    /// <summary>Evaluates the current agent for <paramref name="nEpisodes"/> episodes on the evaluation environments and returns each episode's return.</summary>
    /// <exception cref="InvalidOperationException">No step was taken in this episode yet.</exception>
    public IReadOnlyList<double> Eval(int nEpisodes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (nEpisodes < 1) throw new ArgumentOutOfRangeException(nameof(nEpisodes), nEpisodes, $"nEpisodes = {nEpisodes} is invalid; allowed: ≥ 1.");
        var agent = _agent ?? throw new InvalidOperationException("There is no agent to evaluate yet: call Reset() and Step() first.");
        return _evaluator.Evaluate(agent, nEpisodes, Config.DeterministicEval, epsilon: Config.EvalEps).Returns;
    }

    /// <summary>Releases the environments and deletes the carried-over state (checkpoints are kept).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _envs.Dispose();
        DeleteCarry();
    }

    /// <summary>Unknown names are refused here; values are checked by the params (ranges beyond ARLBench's are fine when the params accept them).</summary>
    private void CheckKeys(Configuration configuration)
    {
        var unknown = configuration.Keys.Where(k => !ConfigSpace.TryGet(k, out _)).ToList();
        if (unknown.Count > 0)
            throw new ConfigurationValidationException(unknown.Select(k =>
                $"'{k}' is not a hyperparameter of {Config.Algorithm} here; allowed: {string.Join(", ", ConfigSpace.Hyperparameters.Select(h => h.Name))}").ToList());
    }

    /// <summary><paramref name="previous"/> with the keys of <paramref name="step"/> replaced or added (<paramref name="step"/> alone at an episode's start).</summary>
    private static Configuration Merge(Configuration? previous, Configuration step)
    {
        if (previous is null) return step;
        var merged = previous;
        foreach (var key in step.Keys) merged = merged.With(key, step[key]);
        return merged;
    }

    /// <summary>The configuration an AutoRL checkpoint was trained with.</summary>
    private static Configuration SavedConfiguration(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path)) throw new ArgumentException($"'{directory}' holds no {StateFile}: it is not an AutoRL checkpoint.", "checkpointPath");
        var saved = JsonSerializer.Deserialize<SavedState>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"'{path}' is empty.");
        return Configuration.FromJson(saved.Configuration);
    }

    private AlgorithmFactory CreateAlgorithm(Configuration configuration) =>
        (Config.Basis ?? Module.CreateDefault()).WithConfiguration(configuration, Config.Nas);

    /// <summary>How every step samples: the environment's training and evaluation environments, no test phase in the trainer.</summary>
    private SamplingConfig StepSampling => new() { NumTrainEnvs = Config.NumEnvs, NumTestEnvs = Config.NumEnvs, NumTestEpisodes = 0 };

    /// <summary>What must not change within an episode, by hyperparameter name.</summary>
    private Dictionary<string, string> Structure(AlgorithmFactory algorithm) =>
        new(algorithm.StructuralHyperparameters(StepSampling, Config.NumEnvs));

    private void SaveState(string directory, IAgent agent, AlgorithmFactory algorithm, Configuration configuration)
    {
        Directory.CreateDirectory(directory);
        RunCheckpoints.SaveAgent(agent, Path.Combine(directory, AgentDirectory));
        using (var stream = new FileStream(Path.Combine(directory, EnvsFile), FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(stream))
        {
            _envs.Train.WriteCheckpointState(writer);
            _envs.Test!.WriteCheckpointState(writer);
        }
        var saved = new SavedState(StateFormat, Module.Name, Config.EnvId, Config.NumEnvs, _episode, _step,
            _trainerState!, configuration.ToJson(), Structure(algorithm));
        AtomicFile.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(saved, Json));
    }

    private TrainerState LoadState(string directory, IAgent agent, AlgorithmFactory algorithm, Configuration configuration)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path)) throw new ArgumentException($"'{directory}' holds no {StateFile}: it is not an AutoRL checkpoint.", "checkpointPath");
        var saved = JsonSerializer.Deserialize<SavedState>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"'{path}' is empty.");
        if (saved.Format != StateFormat)
            throw new InvalidDataException($"'{path}' has format '{saved.Format}'; expected '{StateFormat}'.");
        if (!string.Equals(saved.Algorithm, Module.Name, StringComparison.OrdinalIgnoreCase) || saved.EnvId != Config.EnvId || saved.NumEnvs != Config.NumEnvs)
            throw new ArgumentException(
                $"The checkpoint '{directory}' was written by {saved.Algorithm} on {saved.EnvId} with {saved.NumEnvs} environments; " +
                $"this environment runs {Config.Algorithm} on {Config.EnvId} with {Config.NumEnvs}.", "checkpointPath");
        foreach (var (name, value) in Structure(algorithm))
            if (saved.Structure.TryGetValue(name, out var before) && before != value)
                throw new ArgumentException(
                    $"{name} = {value} differs from the {before} the episode started with; it fixes the agent's structure (the " +
                    "replay buffer or the observation normaliser carries over), so it cannot change between steps. Call Reset() to start an episode with it.",
                    nameof(configuration));
        RunCheckpoints.LoadAgent(agent, Path.Combine(directory, AgentDirectory));
        using (var stream = File.OpenRead(Path.Combine(directory, EnvsFile)))
        using (var reader = new BinaryReader(stream))
        {
            _envs.Train.ReadCheckpointState(reader);
            _envs.Test!.ReadCheckpointState(reader);
        }
        return saved.Trainer;
    }

    private string WriteCheckpoint(IAgent agent, AlgorithmFactory algorithm, Configuration configuration)
    {
        var root = Path.Combine(Config.CheckpointDirectory!, Config.CheckpointName, $"episode_{_episode}");
        var path = RunCheckpoints.Write(root, _step, tmp =>
        {
            SaveState(tmp, agent, algorithm, configuration);
            AtomicFile.WriteAllText(Path.Combine(tmp, "autorl_config.json"), JsonSerializer.Serialize(Config with { Nas = null, Basis = null }, Json));
            AtomicFile.WriteAllText(Path.Combine(tmp, "autorl_basis.json"), ExperimentJson.Default.Serialize(Config.Basis ?? Module.CreateDefault()));
            if (Config.Nas is not null) AtomicFile.WriteAllText(Path.Combine(tmp, "nas_config.json"), Config.Nas.ToJson());
        }, keep: int.MaxValue);
        _checkpoints.Add(path);
        return path;
    }

    private double[] Observe(EvaluationResult last)
    {
        var obs = new List<double> { _step, _trainerState!.EnvSteps };
        foreach (var feature in Config.StateFeatures)
        {
            switch (feature)
            {
                case AutoRLStateFeature.GradInfo:
                    Add(_metrics.Get("train/grad_norm"));
                    break;
                case AutoRLStateFeature.LossInfo:
                    Add(_metrics.First("train/loss", "train/policy_loss"));
                    break;
                case AutoRLStateFeature.TdErrorInfo:
                    Add(_metrics.First("train/td_error", "train/value_loss"));
                    break;
                case AutoRLStateFeature.Entropy:
                    obs.Add(Module.ExplorationMetric == "train/epsilon" ? _metrics.Last(Module.ExplorationMetric) : _metrics.Get(Module.ExplorationMetric).Mean);
                    break;
                case AutoRLStateFeature.TestReturn:
                    obs.Add(last.Mean);
                    break;
            }
        }
        return obs.ToArray();

        void Add((double Mean, double Variance) s)
        {
            obs.Add(s.Mean);
            obs.Add(s.Variance);
        }
    }

    private Dictionary<string, double> Objectives(EvaluationResult last, TimeSpan runtime, TimeSpan cpuTime, double joules)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var objective in Config.Objectives)
        {
            var (name, value, higherIsBetter) = objective switch
            {
                AutoRLObjective.RewardMean => ("reward_mean", last.Mean, true),
                AutoRLObjective.RewardStd => ("reward_std", last.Std, false),
                AutoRLObjective.Runtime => ("runtime", runtime.TotalSeconds, false),
                AutoRLObjective.CpuTime => ("cpu_time", cpuTime.TotalSeconds, false),
                _ => ("emissions", joules / 3.6e6 * Config.CarbonIntensity, false),
            };
            var negate = Config.OptimizeObjectives switch
            {
                ObjectiveOrientation.Upper => !higherIsBetter,
                ObjectiveOrientation.Lower => higherIsBetter,
                _ => false,
            };
            result[name] = negate ? -value : value;
        }
        return result;
    }

    private static IEnumerable<string> FeatureNames(AutoRLStateFeature feature) => feature switch
    {
        AutoRLStateFeature.GradInfo => ["grad_norm_mean", "grad_norm_var"],
        AutoRLStateFeature.LossInfo => ["loss_mean", "loss_var"],
        AutoRLStateFeature.TdErrorInfo => ["td_error_mean", "td_error_var"],
        AutoRLStateFeature.Entropy => ["entropy"],
        _ => ["test_return"],
    };

    private void DeleteCarry()
    {
        try
        {
            if (Directory.Exists(_carryDirectory)) Directory.Delete(_carryDirectory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The AutoRL part of a saved state (autorl.json).</summary>
    private sealed record SavedState(string Format, string Algorithm, string EnvId, int NumEnvs, int Episode, int Step,
        TrainerState Trainer, string Configuration, Dictionary<string, string> Structure);
}
