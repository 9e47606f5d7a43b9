using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.AutoRL;
using RlExperiments.Tuning;
using RlExperiments.Tuning.Reporting;

namespace RlExperiments.Cli;

/// <summary><c>rlx tune</c> (create or continue a study, then work on it) and <c>rlx worker</c> (join a study, or a collection's queue).</summary>
internal static class StudyCommands
{
    private static Option<string?> StorageOption() => new("--storage")
    {
        Description = "Storage URL: postgresql://USER:PASSWORD@HOST:PORT/DATABASE (many machines) or sqlite:///PATH (default: $RLX_STORAGE, else sqlite:///DIR/study.db).",
    };

    private static Option<string?> DirOption() => new("--dir") { Description = "Where trials.csv, best_params.json and report.html go (default log/studies/STUDY)." };

    private static Option<int> JobsOption() => new("--jobs") { Description = "Trials this process runs at once, one thread each (default 1).", DefaultValueFactory = _ => 1 };

    public static Command Tune(TextWriter output)
    {
        var algo = new Option<string>("--algo") { Description = "Algorithm (rlx list-algos).", Required = true };
        var env = new Option<string>("--env") { Description = "Environment id (rlx list-envs).", Required = true };
        var storage = StorageOption();
        var study = new Option<string>("--study") { Description = "Study name (one database holds many).", Required = true };
        var trials = new Option<int>("--trials") { Description = "Total trials of the study, across all workers (default 20).", DefaultValueFactory = _ => 20 };
        var steps = new Option<long?>("--steps") { Description = "Environment steps per trial (default: the preset's budget, else the algorithm's default schedule)." };
        var sampler = new Option<string>("--sampler") { Description = "tpe (default), random, grid or cmaes (CMA-ES over the numeric hyperparameters, categoricals at random, as Optuna's CmaEsSampler).", DefaultValueFactory = _ => "tpe" };
        sampler.AcceptOnlyFromAmong("tpe", "random", "grid", "cmaes");
        var pruner = new Option<string>("--pruner") { Description = "halving (default: successive halving at 1/9 and 1/3 of the steps) or none.", DefaultValueFactory = _ => "halving" };
        pruner.AcceptOnlyFromAmong("halving", "none");
        var seeds = new Option<int>("--seeds") { Description = "Training seeds per trial, averaged (default 1).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampler and of the trials' seeds (default 42).", DefaultValueFactory = _ => 42 };
        var dir = DirOption();
        var jobs = JobsOption();
        var command = new Command("tune", "Create or continue a hyperparameter study and work on it: rlx tune --algo dqn --env CartPole-v1 --storage URL --study NAME --trials N. More workers join with rlx worker.")
        {
            algo, env, storage, study, trials, steps, sampler, pruner, seeds, seed, dir, jobs,
        };
        command.SetAction(p =>
        {
            var module = CliInputs.Algorithm(p.GetValue(algo));
            var envId = CliInputs.Environment(p.GetValue(env));
            var name = p.GetValue(study)!;
            if (p.GetValue(trials) < 1) throw new CliException($"--trials {p.GetValue(trials)} is invalid; allowed: an integer ≥ 1.");
            if (p.GetValue(seeds) < 1) throw new CliException($"--seeds {p.GetValue(seeds)} is invalid; allowed: an integer ≥ 1.");
            var spec = new StudySpec(module.Name.ToLowerInvariant(), envId, p.GetValue(steps), p.GetValue(sampler)!, p.GetValue(pruner)!,
                p.GetValue(seeds), p.GetValue(trials), p.GetValue(seed));
            spec.CreatePruner(1);
            Template(module, spec); // refuses settings that cannot train (too few steps, ...) before the study is created
            var directory = p.GetValue(dir) ?? Path.Combine("log", "studies", name);
            var (url, text) = CliInputs.Storage(p.GetValue(storage), Path.Combine(directory, "study.db"));
            using (var s = url.Open(name))
            {
                if (s.GetStudy() is null)
                {
                    try { s.CreateStudy(new StudyInfo(name, StudyDirection.Maximize, module.AutoRLSpace().Name, DateTime.UtcNow)); }
                    catch (InvalidOperationException) when (s.GetStudy() is not null) { /* another tune created it meanwhile */ }
                }
                if (StudySpec.Load(s) is { } stored && (stored with { Trials = spec.Trials }) != spec)
                    throw new CliException($"Study '{name}' in {url} was created with {stored with { Trials = spec.Trials }}; this tune asks for {spec}. "
                        + "Continue it with the same options (only --trials may change), or choose another --study.");
                spec.Save(s);
            }
            output.WriteLine($"Study '{name}' in {url}: {spec.Trials} trials of {spec.Algo} on {spec.Env}.");
            return Work(output, url, text, name, spec, directory, p.GetValue(jobs));
        });
        return command;
    }

    public static Command Worker(TextWriter output)
    {
        var storage = StorageOption();
        var study = new Option<string?>("--study") { Description = "Work on this study's trials (created by rlx tune)." };
        var collection = new Option<string?>("--collection") { Description = "Work on this collection's queued runs (ExperimentCollection.Submit); needs --storage: postgresql:// (workers on many machines) or sqlite:/// (worker processes on this machine)." };
        var dir = DirOption();
        var jobs = JobsOption();
        var command = new Command("worker", "Join a study (rlx worker --storage URL --study NAME) or a collection's run queue (--collection NAME) and work until it is done. Start one per machine or per Slurm array task.")
        {
            storage, study, collection, dir, jobs,
        };
        command.SetAction(p =>
        {
            var name = p.GetValue(study);
            var queue = p.GetValue(collection);
            if ((name is null) == (queue is null)) throw new CliException("Give exactly one of --study NAME or --collection NAME.");
            if (queue is not null)
            {
                var queueUrl = p.GetValue(storage) ?? StudyStorageUrl.FromEnvironment()
                    ?? throw new CliException("--collection needs --storage URL (or RLX_STORAGE): the database holding the queue, postgresql://... or sqlite:///PATH.");
                var (qurl, _) = CliInputs.Storage(queueUrl, "");
                output.WriteLine($"Joining collection '{queue}' in {qurl}.");
                using var queueLoggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
                int done;
                try { done = RlExperiments.Experiments.Collections.CollectionWorker.Work(queueUrl, queue, queueLoggers.CreateLogger("rlx")); }
                catch (InvalidOperationException e) when (e is not StudyStorageUnavailableException && e.Message.Contains("holds no queued collection"))
                {
                    throw new CliException(e.Message, ExitCodes.StorageUnavailable);
                }
                output.WriteLine($"Collection '{queue}': every run finished ({done} by this worker).");
                return ExitCodes.Success;
            }
            var directory = p.GetValue(dir) ?? Path.Combine("log", "studies", name!);
            var (url, text) = CliInputs.Storage(p.GetValue(storage), Path.Combine(directory, "study.db"));
            StudySpec spec;
            using (var s = url.Open(name!))
            {
                if (s.GetStudy() is null)
                    throw new CliException($"{url} holds no study '{name}'; create it with rlx tune --study {name} ... first.", ExitCodes.StorageUnavailable);
                spec = StudySpec.Load(s) ?? throw new CliException($"Study '{name}' in {url} was not created by rlx tune (it has no rlx.* attributes); run it from the code that created it.");
            }
            output.WriteLine($"Joining study '{name}' in {url}: {spec.Trials} trials of {spec.Algo} on {spec.Env}.");
            return Work(output, url, text, name!, spec, directory, p.GetValue(jobs));
        });
        return command;
    }

    /// <summary>The experiment every trial trains (with the trial's configuration applied by the AutoRL objective); nothing is written.</summary>
    private static RlExperiments.Experiments.Experiment Template(RlExperiments.Experiments.Algorithms.AlgorithmModule module, StudySpec spec) =>
        CliInputs.Build(module, CliInputs.Environment(spec.Env), spec.Seed, spec.Steps, new Configuration([]), "template",
            Path.Combine(Path.GetTempPath(), "rlx-unused"), 0);

    /// <summary>Runs trials of the study until it has its trials (waiting for other workers' running trials, re-running a dead worker's), then writes the study files and report.</summary>
    private static int Work(TextWriter output, StudyStorageUrl url, string urlText, string name, StudySpec spec, string directory, int jobs)
    {
        var module = CliInputs.Algorithm(spec.Algo);
        var environment = AutoRLEnvConfig.FromExperiment(Template(module, spec));
        long total = environment.NTotalTimesteps;
        var pruner = spec.CreatePruner(total);
        var space = module.AutoRLSpace();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
        var options = new HyperparameterOptimizerOptions
        {
            StudyDirectory = directory,
            Storage = urlText,
            StudyName = name,
            Direction = StudyDirection.Maximize,
            NTrials = spec.Trials,
            NFit = spec.Seeds,
            NJobs = jobs,
            Sampler = spec.SamplerKind,
            Pruner = pruner,
            Seed = spec.Seed,
            ContinuePrevious = true,
            Logger = loggers.CreateLogger("rlx"),
        };
        var objective = new AutoRLObjectiveFunction(environment, total, pruner);
        var result = new HyperparameterOptimizer(options).Optimize(space, objective.Evaluate);
        var report = Path.Combine(result.Directory, "report.html");
        StudyReportWriter.Write(result, report, space);
        output.WriteLine(result.BestTrial is { } best
            ? string.Create(CultureInfo.InvariantCulture, $"Study '{name}': best trial {best.Number} with value {best.Value:0.###}; {Path.Combine(result.Directory, StudyFiles.BestParamsFileName)}, {report}")
            : $"Study '{name}': no trial completed; {report}");
        return ExitCodes.Success;
    }
}
