using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments.Vector;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Experiments.Logging;
using RlExperiments.Factories;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Experiments;

/// <summary>
/// One execution of an <see cref="Experiment"/> (Tianshou's <c>Experiment.run</c>), as a script that reads top to
/// bottom: check the input, create the world, train (saving the best policy and checkpoints as it goes), evaluate the
/// policy, watch it, write the summary. Everything that can fail on bad input fails before the run directory is touched.
/// </summary>
internal sealed class ExperimentRun(Experiment experiment, string? experimentName, string? loggerRunId, bool overwrite, string? resumeDirectory)
{
    private readonly ExperimentDefinition _def = experiment.Definition;
    private readonly ExperimentServices _services = experiment.Services;

    public ExperimentResult Execute()
    {
        var def = _def;
        var name = experimentName ?? def.Name;
        FieldCheck.FileName(nameof(Experiment), "experimentName", name);
        var config = def.Config;
        var algorithm = def.Algorithm;
        var resolved = algorithm.Resolve(def.Sampling);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();

        // 1. Everything that can fail on input, before anything is created.
        SafeTensorsFile? restoreFile = null;
        string? restorePath = null;
        if (config.PolicyRestoreDirectory is { } restoreDir)
        {
            restorePath = PolicyFile.Find(restoreDir)
                ?? throw new InvalidDataException($"ExperimentConfig.PolicyRestoreDirectory '{restoreDir}' holds no {PolicyFile.BestFileName} or {PolicyFile.FinalFileName}.");
            restoreFile = PolicyFile.Read(restorePath);
        }
        var directory = resumeDirectory ?? (config.PersistenceEnabled ? Path.GetFullPath(Path.Combine(config.PersistenceBaseDir, name)) : null);
        if (resumeDirectory is null && directory is not null && Directory.Exists(directory) && !overwrite)
            throw new IOException(
                $"The run directory '{directory}' already exists; nothing was written. Choose another name (WithName, or Run(experimentName: ...)), delete it, or pass overwrite: true.");

        var envs = def.EnvFactory.Create(resolved.NumTrainEnvs, resolved.NumTestEnvs, config.Seed, _services.Registry);
        RunLoggerFactory? runLogging = null;
        IMetricsSink? metrics = null;
        RunDirectoryLock? runLock = null;
        Exception? failure = null;
        try
        {
            algorithm.CheckSpaces(envs.ObservationSpace, envs.ActionSpace, envs.EnvId);
            var agent = algorithm.CreateAgent(envs.ObservationSpace, envs.ActionSpace, def.Sampling, resolved, config.Seed);
            if (restoreFile is not null) PolicyFile.Load(restoreFile, restorePath!, agent, algorithm.AlgorithmName);

            // 2. The directory: one process per run directory (its lock, held until the run ends), then, before anything
            // is written, the checks that may refuse: a resume that would change training, a name taken in the meantime.
            // Then the previous run's files go (overwrite), the log and experiment.json are written.
            FileLoggerProvider? file = null;
            RunCheckpoints.Inspection? resumeFrom = null;
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
                runLock = RunDirectoryLock.Acquire(directory, resumeDirectory is null ? "run" : "resume");
                if (resumeDirectory is not null)
                    resumeFrom = RunCheckpoints.CheckResume(experiment, resumeDirectory, name);
                else if (overwrite)
                    DeleteRunFiles(directory);
                else if (Directory.EnumerateFileSystemEntries(directory).FirstOrDefault(e => !RunDirectoryLock.IsLockFile(Path.GetFileName(e))) is { } other)
                    throw new IOException(
                        $"The run directory '{directory}' already exists (it holds '{Path.GetFileName(other)}', written by another run in the meantime); nothing was written. " +
                        "Choose another name (WithName, or Run(experimentName: ...)), delete it, or pass overwrite: true.");
                if (config.LogFileEnabled) file = new FileLoggerProvider(Path.Combine(directory, Experiment.LogFileName));
            }
            runLogging = new RunLoggerFactory(_services.Logging, file);
            var logger = runLogging.CreateLogger("RlExperiments.Experiment");
            logger.LogInformation("Experiment {Name}{RunId}: {Algorithm} on {Env}, seed {Seed}; {Envs}", name,
                loggerRunId is null ? "" : $" (run {loggerRunId})", algorithm.AlgorithmName, envs.EnvId, config.Seed, envs);
            logger.LogInformation("Sampling: {Sampling}", resolved);
            if (directory is not null)
            {
                var persisted = experiment.Persistable(drop: true);
                foreach (var dropped in persisted.DroppedCallbacks.Except(def.DroppedCallbacks))
                    logger.LogWarning("Not saved in {File}: {Callback}; a restored experiment will run without it.", Experiment.FileName, dropped);
                _services.Json.WriteFile(Path.Combine(directory, Experiment.FileName), persisted with { Name = name });
                logger.LogInformation("Run directory: {Directory}", directory);
            }
            foreach (var lacking in def.DroppedCallbacks)
                logger.LogWarning("This experiment was saved without a callback it had: {Callback}.", lacking);
            if (restorePath is not null) logger.LogInformation("Restored the policy from {Path}", restorePath);
            if (runLock?.TookOverFrom is { } stale)
                logger.LogWarning("Took over the lock of the run directory left by process {Pid} on {Machine} ({Operation} since {Since}), which is no longer running.",
                    stale.Pid, stale.Machine, stale.Operation, stale.AcquiredUtc);

            RunCheckpoints.ResumePoint? resume = null;
            if (resumeFrom is not null)
            {
                resume = RunCheckpoints.LoadRun(resumeFrom, agent, envs, logger);
                logger.LogInformation("Resuming from the checkpoint {Directory} (epoch {Epoch}, env step {Step})", resume.Directory, resume.Trainer.Epoch, resume.Trainer.EnvSteps);
            }

            metrics = directory is null ? NullMetricsSink.Instance
                : resume is not null ? def.LoggerFactory.CreateResumed(directory, runLogging, resume.Trainer.EnvSteps)
                : def.LoggerFactory.Create(directory, runLogging);
            var world = new World(envs, agent, metrics, logger, directory, config.PolicyRestoreDirectory);

            // 3. Train, saving the best policy as it improves.
            TrainerResult? trainerResult = null;
            if (config.Train)
                trainerResult = Train(world, resolved, directory, logger, name, resume);

            // 4. Evaluate the policy the agent now holds (the saved one) on freshly seeded test environments.
            var policyTest = double.NaN;
            if (envs.Test is not null && resolved.NumTestEpisodes > 0)
            {
                policyTest = new Evaluator(envs.Test).Evaluate(agent, resolved.NumTestEpisodes, deterministic: true, seed: envs.Seeds.Test).Mean;
                logger.LogInformation("Policy test return: {Return} (mean of {Episodes} deterministic episodes, test seed {Seed})",
                    policyTest.ToString("0.###", CultureInfo.InvariantCulture), resolved.NumTestEpisodes, envs.Seeds.Test);
            }

            // 5. Watch.
            EvaluationResult? watch = null;
            if (config.Watch)
            {
                watch = new Evaluator(new SequentialVectorEnv([envs.Watch]))
                    .Evaluate(agent, config.WatchNumEpisodes, deterministic: true, seed: envs.Seeds.Watch);
                logger.LogInformation("Watch: return {Mean} ± {Std} over {Episodes} episodes (lengths {Length})",
                    watch.Mean.ToString("0.###", CultureInfo.InvariantCulture), watch.Std.ToString("0.###", CultureInfo.InvariantCulture),
                    config.WatchNumEpisodes, watch.MeanLength.ToString("0.#", CultureInfo.InvariantCulture));
            }

            // 6. The summary.
            var summary = new RunSummary
            {
                ExperimentName = name,
                LoggerRunId = loggerRunId,
                Algorithm = algorithm.AlgorithmName,
                EnvId = envs.EnvId,
                Seed = config.Seed,
                Trained = trainerResult is not null,
                RestoredFrom = config.PolicyRestoreDirectory,
                BestTestReturn = trainerResult?.BestTestReturn ?? double.NaN,
                BestEpoch = trainerResult?.BestEpoch ?? -1,
                LastTestReturn = trainerResult?.LastTestReturn ?? double.NaN,
                PolicyTestReturn = policyTest,
                WatchReturnMean = watch?.Mean ?? double.NaN,
                EnvSteps = trainerResult?.EnvSteps ?? 0,
                GradientSteps = trainerResult?.GradientSteps ?? 0,
                Epochs = trainerResult?.Epochs ?? 0,
                StoppedByCallback = trainerResult?.StoppedByCallback ?? false,
                TrainWallTimeSeconds = trainerResult?.WallTime.TotalSeconds ?? 0,
                WallTimeSeconds = clock.Elapsed.TotalSeconds,
                StartedUtc = started.ToString("O", CultureInfo.InvariantCulture),
                FinishedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            };
            if (directory is not null) _services.Json.WriteFile(Path.Combine(directory, Experiment.ResultFileName), summary);
            logger.LogInformation("Finished in {Seconds} s{Dir}", clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                directory is null ? "" : $"; results in {directory}");
            return new ExperimentResult(world, trainerResult, policyTest, watch, summary);
        }
        catch (Exception ex)
        {
            failure = ex;
            // The first error wins: logging it or disposing the environments must not replace it (e.g. on a full disk).
            Cleanup.Run(ex, () => runLogging?.CreateLogger("RlExperiments.Experiment").LogError(ex, "The run failed: {Message}", ex.Message));
            Cleanup.Run(ex, envs.Dispose);
            throw;
        }
        finally
        {
            // Closing the sinks flushes them: an error there is the run's error only when nothing failed before.
            Cleanup.Run(failure, () => (metrics as IDisposable)?.Dispose(), () => runLogging?.Dispose(), () => runLock?.Dispose());
        }
    }

    /// <summary>Trains the agent with the algorithm's trainer; tracks and saves the best policy, checkpoints every few epochs.</summary>
    private TrainerResult Train(World world, ResolvedSampling resolved, string? directory, ILogger logger, string name, RunCheckpoints.ResumePoint? resume)
    {
        var def = _def;
        var mode = def.Config.PolicyPersistenceMode;
        var agent = world.Agent;
        var algorithm = def.Algorithm;
        var progress = new ProgressDisplay(world.Metrics, logger, resolved.NumEpochs, resolved.TotalSteps, ProgressDisplay.ConsoleIsInteractive);
        var context = new TrainingContext(agent, world.Envs, progress, logger, directory, def.EnvFactory, experiment.Services.Registry,
            def.Config.Seed, def.Algorithm.AlgorithmName);
        var stepCallback = def.StepCallback?.Start(context);
        PolicySnapshot? best = resume?.Best;
        var bestReturn = resume?.BestReturn ?? double.NaN;
        var every = def.Config.CheckpointEveryEpochs;
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = def.EpochTrainCallback is { } train ? (epoch, step) => train.OnEpochTrain(epoch, step, context) : null,
            OnEpochTest = def.EpochTestCallback is { } test ? (epoch, step) => test.OnEpochTest(epoch, step, context) : null,
            ShouldStop = def.EpochStopCallback is { } stop ? info => stop.ShouldStop(info, context) : null,
            OnEpochEnd = info =>
            {
                if (!double.IsNaN(info.TestReturnMean) && (double.IsNaN(bestReturn) || info.TestReturnMean > bestReturn))
                {
                    bestReturn = info.TestReturnMean;
                    best = PolicyFile.Snapshot(agent);
                    if (directory is not null && mode != PolicyPersistenceMode.Final)
                        PolicyFile.Save(Path.Combine(directory, PolicyFile.BestFileName), agent, algorithm.AlgorithmName);
                }
                if (directory is not null && every > 0 && info.Epoch % every == 0)
                    RunCheckpoints.WriteRun(experiment, directory, name, world, bestReturn, best, logger);
                progress.EpochEnded(info);
            },
            Step = stepCallback,
        };
        var stochasticTest = def.EpochTestCallback?.RequiresStochasticTest ?? false;
        var trainerConfig = new TrainerConfig(resolved.NumEpochs, resolved.EpochNumSteps, resolved.NumTestEpisodes, DeterministicEval: !stochasticTest);
        var envs = world.Envs;
        var trainer = algorithm.CreateTrainer(agent, new TrainerEnvironments(envs.Train, envs.Test, envs.Seeds), trainerConfig, callbacks, progress);
        world.Trainer = trainer;
        if (resume is not null) trainer.Resume(resume.Trainer);
        TrainerResult result;
        try
        {
            result = trainer.Run();
        }
        finally
        {
            progress.Clear();
            (stepCallback as IDisposable)?.Dispose();
        }
        if (directory is not null && mode != PolicyPersistenceMode.Best)
            PolicyFile.Save(Path.Combine(directory, PolicyFile.FinalFileName), agent, algorithm.AlgorithmName);
        if (best is not null)
        {
            PolicyFile.RestoreSnapshot(agent, best);
        }
        else if (directory is not null && mode != PolicyPersistenceMode.Final)
        {
            PolicyFile.Save(Path.Combine(directory, PolicyFile.BestFileName), agent, algorithm.AlgorithmName);
        }
        logger.LogInformation(
            "Training done: {Epochs} epochs, {EnvSteps} env steps, {GradientSteps} gradient steps in {Seconds} s; best test return {Best} (epoch {BestEpoch}), last {Last}{Stopped}",
            result.Epochs, result.EnvSteps, result.GradientSteps, result.WallTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            result.BestTestReturn.ToString("0.###", CultureInfo.InvariantCulture), result.BestEpoch,
            result.LastTestReturn.ToString("0.###", CultureInfo.InvariantCulture), result.StoppedByCallback ? "; stopped by the stop callback" : "");
        return result;
    }

    /// <summary>
    /// Removes the files a previous run in <paramref name="directory"/> wrote, checkpoints included (for
    /// <c>overwrite: true</c>), so a later resume can only find this run's checkpoints.
    /// </summary>
    private static void DeleteRunFiles(string directory)
    {
        var checkpoints = Path.Combine(directory, RunCheckpoints.DirectoryName);
        if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        foreach (var name in new[] { Experiment.FileName, Experiment.LogFileName, Experiment.ResultFileName, PolicyFile.BestFileName, PolicyFile.FinalFileName, CsvWriter.DefaultFileName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) File.Delete(path);
        }
        foreach (var events in Directory.EnumerateFiles(directory, TensorBoardWriter.FilePrefix + "*"))
            File.Delete(events);
    }
}
