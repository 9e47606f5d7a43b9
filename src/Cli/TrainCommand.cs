using System.CommandLine;
using System.Globalization;
using RlExperiments.Experiments;

namespace RlExperiments.Cli;

/// <summary><c>rlx train</c>: one run into <c>log/NAME</c> (rl-baselines3-zoo's <c>train.py</c>), or <c>--resume log/NAME</c>.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var algo = new Option<string>("--algo") { Description = "Algorithm (rlx list-algos), e.g. ppo, dqn." };
        var env = new Option<string>("--env") { Description = "Environment id (rlx list-envs), e.g. CartPole-v1." };
        var seed = new Option<int>("--seed") { Description = "Seed of the run (default 0).", DefaultValueFactory = _ => 0 };
        var steps = new Option<long?>("--steps") { Description = "Environment steps (default: the preset's budget, else the algorithm's default schedule)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs the steps are split into (a test phase and a checkpoint after each; default: the algorithm's epoch size)." };
        var hyper = new Option<string[]>("--hyperparams")
        {
            Description = "Hyperparameters as key=value (keys of the algorithm's search space), e.g. --hyperparams learning_rate=0.001 gamma=0.98.",
            AllowMultipleArgumentsPerToken = true,
        };
        var hyperFile = new Option<string?>("--hyperparams-file") { Description = "A JSON object of hyperparameters, e.g. a study's best_params.json (--hyperparams override it)." };
        var name = new Option<string?>("--name") { Description = "Run name: the run goes to LOG-DIR/NAME (default ALGO-ENV-seedSEED)." };
        var logDir = new Option<string>("--log-dir") { Description = "Base directory of runs (default log).", DefaultValueFactory = _ => "log" };
        var every = new Option<int>("--checkpoint-every") { Description = "Epochs between checkpoints, for --resume (default 1; 0 = none).", DefaultValueFactory = _ => 1 };
        var resume = new Option<string?>("--resume") { Description = "Resume the run in this directory from its last checkpoint (other options are ignored)." };
        var command = new Command("train", "Train one agent: rlx train --algo ppo --env CartPole-v1 [--seed N] [--steps N] [--hyperparams k=v ...]; or rlx train --resume log/NAME.")
        {
            algo, env, seed, steps, epochs, hyper, hyperFile, name, logDir, every, resume,
        };
        command.SetAction(p =>
        {
            ExperimentResult result;
            if (p.GetValue(resume) is { } dir)
            {
                if (!Directory.Exists(dir)) throw new CliException($"--resume '{dir}' does not exist; allowed: the directory of a run (LOG-DIR/NAME).");
                if (!File.Exists(Path.Combine(dir, Experiment.FileName))) throw new CliException($"--resume '{dir}' holds no {Experiment.FileName}: it is not a run directory.");
                output.WriteLine($"Resuming {Path.GetFullPath(dir)}");
                result = Experiment.FromDirectory(dir).Resume(dir);
            }
            else
            {
                var module = CliInputs.Algorithm(p.GetValue(algo));
                var envId = CliInputs.Environment(p.GetValue(env));
                var hyperparameters = CliInputs.Hyperparameters(module, p.GetValue(hyper), p.GetValue(hyperFile));
                int s = p.GetValue(seed);
                var runName = p.GetValue(name) ?? string.Create(CultureInfo.InvariantCulture, $"{module.Name.ToLowerInvariant()}-{envId}-seed{s}");
                var experiment = CliInputs.Build(module, envId, s, p.GetValue(steps), hyperparameters, runName, p.GetValue(logDir)!, p.GetValue(every), p.GetValue(epochs));
                output.WriteLine($"Training {module.Name} on {envId}, seed {s}, {experiment.SamplingConfig.NumEpochs} epochs × {experiment.SamplingConfig.EpochNumSteps} steps, into {Path.GetFullPath(Path.Combine(experiment.Config.PersistenceBaseDir, runName))}");
                result = experiment.Run();
            }
            using (result)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done: policy test return {result.PolicyTestReturn:0.###}; run directory {result.Directory}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
