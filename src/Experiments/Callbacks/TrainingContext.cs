using Microsoft.Extensions.Logging;
using RlExperiments.Agents;
using RlExperiments.Agents.Training;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>What epoch callbacks can reach while a run trains (Tianshou's <c>TrainingContext</c>).</summary>
/// <param name="Agent">The agent being trained.</param>
/// <param name="Envs">The run's environments.</param>
/// <param name="Metrics">The run's metrics sink (e.g. to log a schedule value).</param>
/// <param name="Logger">The run's logger.</param>
/// <param name="RunDirectory">The run directory, or null when persistence is off.</param>
/// <param name="EnvFactory">The run's environment factory (to make environments of one's own, e.g. for evaluation), or null.</param>
/// <param name="Registry">The environment registry the run uses, or null for the default.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="AlgorithmName">The algorithm's name (for policy files).</param>
public sealed record TrainingContext(IAgent Agent, EnvironmentSet Envs, IMetricsSink Metrics, ILogger Logger,
    string? RunDirectory = null, EnvFactory? EnvFactory = null, RlExperiments.Environments.EnvRegistry? Registry = null, int Seed = 0,
    string AlgorithmName = "");
