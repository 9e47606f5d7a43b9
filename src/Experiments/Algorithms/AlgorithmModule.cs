using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// One algorithm as the framework sees it: its name, its default <see cref="AlgorithmFactory"/>, the types its
/// <c>experiment.json</c> may name, and its search spaces. Registered once in an <see cref="AlgorithmRegistry"/>; every
/// shared part (persistence, AutoRL, the experiment manager, the command line) reaches the algorithm through it, so an
/// algorithm is added without touching shared code (<c>docs/adding-an-algorithm.md</c>).
/// </summary>
public abstract class AlgorithmModule
{
    /// <summary>The algorithm's name, e.g. "DQN"; equal to its factory's <see cref="AlgorithmFactory.AlgorithmName"/>. Looked up case-insensitively.</summary>
    public abstract string Name { get; }

    /// <summary>A one-line description for listings (e.g. <c>rlx list-algos</c>).</summary>
    public abstract string Description { get; }

    /// <summary>A factory with the algorithm's default params (Stable-Baselines3's defaults for the built-in ones).</summary>
    public abstract AlgorithmFactory CreateDefault();

    /// <summary>
    /// The types <c>experiment.json</c> may name for this algorithm (its factory, and any model factory or callback of its
    /// own), each saved under its short type name. Default: the type of <see cref="CreateDefault"/>'s factory.
    /// </summary>
    public virtual IReadOnlyList<Type> PersistedTypes => [CreateDefault().GetType()];

    /// <summary>The hyperparameter search space (ARLBench's where it has one); every key is one the factory's <see cref="AlgorithmFactory.WithConfiguration"/> applies.</summary>
    public abstract ConfigurationSpace SearchSpace();

    /// <summary>The network search space (ARLBench's NAS space: activation and hidden size).</summary>
    public abstract ConfigurationSpace NasSpace();

    /// <summary>
    /// The space an AutoRL step may configure: <see cref="SearchSpace"/> without the keys the AutoRL environment cannot
    /// apply to this algorithm (e.g. observation normalisation where the agent has no normaliser). Default: <see cref="SearchSpace"/>.
    /// </summary>
    public virtual ConfigurationSpace AutoRLSpace() => SearchSpace();

    /// <summary>
    /// The name of the metric the AutoRL state feature "entropy" reports for this algorithm: <c>train/entropy</c> (the
    /// policy's entropy, averaged over the step) by default; ε-greedy algorithms report <c>train/epsilon</c> (its last value).
    /// </summary>
    public virtual string ExplorationMetric => "train/entropy";

    /// <summary>The tuned preset for <paramref name="envId"/> (rl-baselines3-zoo's), or null when there is none (the defaults apply).</summary>
    /// <param name="envId">A Gymnasium id such as "CartPole-v1".</param>
    public virtual AlgorithmPreset? Preset(string envId) => null;

    /// <summary>The environment ids that have a <see cref="Preset"/>.</summary>
    public virtual IReadOnlyList<string> PresetEnvIds => [];

    /// <inheritdoc />
    public override string ToString() => Name;
}
