using System.Globalization;
using RlExperiments.Environments;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Tuning;

namespace RlExperiments.Cli;

/// <summary>Turns command-line values into the framework's objects; every refusal names the value and lists what is allowed.</summary>
internal static class CliInputs
{
    public static AlgorithmModule Algorithm(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new CliException($"--algo is required; allowed: {string.Join(", ", AlgorithmNames)}.");
        return AlgorithmRegistry.Default.TryGet(name, out var module) ? module
            : throw new CliException($"Unknown algorithm '{name}'; allowed: {string.Join(", ", AlgorithmNames)} (rlx list-algos).");
    }

    private static IEnumerable<string> AlgorithmNames => AlgorithmRegistry.Default.Names.Select(n => n.ToLowerInvariant());

    public static string Environment(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new CliException($"--env is required; allowed: {string.Join(", ", EnvRegistry.Default.Ids)}.");
        return EnvRegistry.Default.Contains(id) ? id
            : throw new CliException($"Unknown environment '{id}'; allowed: {string.Join(", ", EnvRegistry.Default.Ids)} (rlx list-envs).");
    }

    /// <summary>The hyperparameters of <c>--hyperparams-file</c> (a JSON object such as best_params.json), overridden by <c>--hyperparams key=value</c> pairs; each key must be in the algorithm's search space and each value legal there.</summary>
    public static Configuration Hyperparameters(AlgorithmModule module, IReadOnlyList<string>? pairs, string? file)
    {
        var space = module.SearchSpace();
        var values = new List<KeyValuePair<string, object>>();
        void Add(string key, object value, string source)
        {
            if (!space.TryGet(key, out var hp))
                throw new CliException($"Unknown hyperparameter '{key}' ({source}) for {module.Name}; allowed: {string.Join(", ", space.Hyperparameters.Select(h => h.Name))}.");
            object coerced;
            try { coerced = hp.Coerce(value); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new CliException($"Hyperparameter {key} = {value} ({source}) is invalid: {e.Message}");
            }
            if (hp.Check(coerced) is { } error) throw new CliException($"Hyperparameter {key} = {value} ({source}) is invalid: {error}");
            values.RemoveAll(p => p.Key == key);
            values.Add(new(key, coerced));
        }
        if (file is not null)
        {
            if (!File.Exists(file)) throw new CliException($"--hyperparams-file '{file}' does not exist.");
            Configuration fromFile;
            try { fromFile = Configuration.FromJson(File.ReadAllText(file)); }
            catch (Exception e) when (e is FormatException or Newtonsoft.Json.JsonException or InvalidCastException)
            {
                throw new CliException($"--hyperparams-file '{file}' is not a JSON object of hyperparameters: {e.Message}");
            }
            foreach (var key in fromFile.Keys) Add(key, fromFile[key], file);
        }
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new CliException($"--hyperparams '{pair}' is invalid; allowed: key=value, e.g. learning_rate=0.0003.");
            Add(pair[..eq].Trim(), ParseValue(pair[(eq + 1)..].Trim()), "--hyperparams");
        }
        return new Configuration(values);
    }

    /// <summary>A command-line value as the configuration's types: integer, double, bool or string.</summary>
    public static object ParseValue(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (bool.TryParse(text, out var b)) return b;
        return text;
    }

    /// <summary>
    /// The experiment <c>rlx train</c> and a study's trials use: the module's preset for the environment when there is
    /// one (rl-baselines3-zoo's), else its defaults; the hyperparameters applied; <paramref name="steps"/> environment
    /// steps (default: the preset's budget, else the algorithm's default schedule) split into epochs.
    /// </summary>
    public static Experiment Build(AlgorithmModule module, string envId, int seed, long? steps, Configuration hyperparameters,
        string name, string logDir, int checkpointEveryEpochs, int? epochs = null)
    {
        var preset = module.Preset(envId);
        var algorithm = preset?.Factory ?? module.CreateDefault();
        if (hyperparameters.Count > 0) algorithm = algorithm.WithConfiguration(hyperparameters);
        var (defaultEpochs, defaultPerEpoch) = algorithm.DefaultSchedule;
        long total = steps ?? preset?.TotalTimesteps ?? (long)defaultEpochs * defaultPerEpoch;
        if (total < 1) throw new CliException($"--steps {total} is invalid; allowed: an integer ≥ 1.");
        if (epochs is < 1) throw new CliException($"--epochs {epochs} is invalid; allowed: an integer ≥ 1.");
        int perEpoch = (int)Math.Min(int.MaxValue, epochs is int n ? (total + n - 1) / n : Math.Min(defaultPerEpoch, total));
        int numEpochs = (int)Math.Min(int.MaxValue, (total + perEpoch - 1) / perEpoch);
        var sampling = new SamplingConfig { NumEpochs = numEpochs, EpochNumSteps = perEpoch, NumTrainEnvs = preset?.NumEnvs };
        var config = new ExperimentConfig
        {
            Seed = seed, PersistenceBaseDir = logDir, Watch = false,
            CheckpointEveryEpochs = checkpointEveryEpochs, KeepCheckpoints = 2,
        };
        try
        {
            return new AlgorithmExperimentBuilder(algorithm, new EnvFactory { EnvId = envId }, config, sampling).WithName(name).Build();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{module.Name} on {envId}: {e.Message}");
        }
    }

    /// <summary>The storage of <c>--storage</c>, else <c>RLX_STORAGE</c>, else a SQLite file; with the URL's text (which holds the password: never print it).</summary>
    public static (StudyStorageUrl Url, string Text) Storage(string? url, string defaultSqlite)
    {
        var text = url ?? StudyStorageUrl.FromEnvironment() ?? "sqlite:///" + Path.GetFullPath(defaultSqlite);
        try { return (StudyStorageUrl.Parse(text), text); }
        catch (ArgumentException e) { throw new CliException(e.Message); }
    }
}
