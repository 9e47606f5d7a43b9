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
public sealed record TrainingContext(IAgent Agent, EnvironmentSet Envs, IMetricsSink Metrics, ILogger Logger);
