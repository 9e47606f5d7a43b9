using System.Globalization;
using System.Text.Json;
using RlExperiments.Agents;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Experiments;

/// <summary>
/// A policy's weights as a <c>.safetensors</c> file (readable by <c>safetensors.torch.load_file</c>): every network of
/// <see cref="IAgent.Networks"/> with its parameters named <c>&lt;network&gt;.&lt;parameter&gt;</c> (e.g.
/// <c>q.0.weight</c>), and metadata <c>format</c>, <c>algorithm</c> and, for agents that normalise observations, the
/// running statistics (<c>obs_rms</c>, JSON with exact doubles). Written atomically.
/// </summary>
public static class PolicyFile
{
    /// <summary>The file of the best policy by mean test return (the final one without test episodes).</summary>
    public const string BestFileName = "policy.safetensors";

    /// <summary>The file of the policy after the last epoch.</summary>
    public const string FinalFileName = "policy_final.safetensors";

    /// <summary>The format tag in the metadata.</summary>
    public const string Format = "rlexperiments.policy/1";

    /// <summary>The policy file a restore reads from <paramref name="directory"/>: <see cref="BestFileName"/>, else <see cref="FinalFileName"/>, else null.</summary>
    public static string? Find(string directory)
    {
        var best = Path.Combine(directory, BestFileName);
        if (File.Exists(best)) return best;
        var final = Path.Combine(directory, FinalFileName);
        return File.Exists(final) ? final : null;
    }

    /// <summary>Writes <paramref name="agent"/>'s policy to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IAgent agent, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, module) in agent.Networks)
            foreach (var (p, t) in module.StateDict())
                tensors[$"{name}.{p}"] = t;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["algorithm"] = algorithm,
            ["networks"] = string.Join(",", agent.Networks.Keys),
        };
        if (agent is IObservationNormalized { ObservationNormalizer: { } norm })
            metadata["obs_rms"] = JsonSerializer.Serialize(norm.GetState());
        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>
    /// Reads and checks <paramref name="path"/> (a safetensors file in this format). Does not need an agent, so a
    /// corrupt file is reported before anything is created.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is damaged or not a policy file; the message names the file and the problem.</exception>
    public static SafeTensorsFile Read(string path)
    {
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(path);
        }
        catch (FileNotFoundException)
        {
            throw new InvalidDataException($"The policy file '{path}' does not exist.");
        }
        catch (Exception ex) when (ex is not InvalidDataException and (JsonException or ArgumentException or OverflowException or IOException or UnauthorizedAccessException))
        {
            throw new InvalidDataException($"'{path}' is not a valid safetensors file: {ex.Message}", ex);
        }
        if (!file.Metadata.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"'{path}' is not a policy file of this framework (metadata format = {(format is null ? "missing" : $"'{format}'")}; expected '{Format}').");
        return file;
    }

    /// <summary>
    /// Loads a file read by <see cref="Read"/> into <paramref name="agent"/>, after checking the algorithm, every
    /// tensor's name and shape; nothing is changed unless everything matches. A DQN target network is set to the loaded
    /// Q-network.
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not fit the agent; the message names the tensor.</exception>
    public static void Load(SafeTensorsFile file, string path, IAgent agent, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(agent);
        if (file.Metadata.TryGetValue("algorithm", out var saved) && saved != algorithm)
            throw new InvalidDataException($"'{path}' holds a {saved} policy; this experiment's algorithm is {algorithm}.");
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, module) in agent.Networks)
        {
            foreach (var (p, t) in module.NamedParameters())
            {
                var key = $"{name}.{p}";
                expected.Add(key);
                if (!file.Tensors.TryGetValue(key, out var stored))
                    throw new InvalidDataException($"'{path}' has no tensor '{key}' (shape {t.ShapeString}): it was saved from a different network architecture.");
                if (!stored.Shape.SequenceEqual(t.Shape))
                    throw new InvalidDataException($"'{path}': tensor '{key}' has shape {stored.ShapeString}; the network expects {t.ShapeString} (a different architecture or environment).");
                foreach (var v in stored.Data)
                    if (!float.IsFinite(v))
                        throw new InvalidDataException($"'{path}': tensor '{key}' holds a non-finite value.");
            }
        }
        var extra = file.Tensors.Keys.FirstOrDefault(k => !expected.Contains(k));
        if (extra is not null)
            throw new InvalidDataException($"'{path}' has an unexpected tensor '{extra}': it was saved from a different network architecture.");

        RunningMeanStdState? obsStats = null;
        var norm = (agent as IObservationNormalized)?.ObservationNormalizer;
        if (file.Metadata.TryGetValue("obs_rms", out var json))
        {
            if (norm is null)
                throw new InvalidDataException($"'{path}' holds observation statistics, but this agent does not normalise observations (the params' NormalizeObservations differs).");
            try { obsStats = JsonSerializer.Deserialize<RunningMeanStdState>(json); }
            catch (JsonException ex) { throw new InvalidDataException($"'{path}': the observation statistics are damaged: {ex.Message}", ex); }
            if (obsStats is null || obsStats.Mean is null || obsStats.Var is null || obsStats.Mean.Length != norm.Size || obsStats.Var.Length != norm.Size)
                throw new InvalidDataException($"'{path}': the observation statistics do not have {norm.Size.ToString(CultureInfo.InvariantCulture)} entries.");
        }
        else if (norm is not null)
        {
            throw new InvalidDataException($"'{path}' holds no observation statistics, but this agent normalises observations (the params' NormalizeObservations differs).");
        }

        foreach (var (name, module) in agent.Networks)
            foreach (var (p, t) in module.NamedParameters())
                file.Tensors[$"{name}.{p}"].Data.CopyTo(t.Data);
        if (obsStats is not null)
        {
            try { norm!.SetState(obsStats); }
            catch (ArgumentException ex) { throw new InvalidDataException($"'{path}': the observation statistics are invalid: {ex.Message}", ex); }
        }
        (agent as ITargetNetworks)?.SyncTargetNetworks();
    }

    /// <summary>A copy of the agent's policy weights (and observation statistics), to put back with <see cref="RestoreSnapshot"/>.</summary>
    internal static PolicySnapshot Snapshot(IAgent agent)
    {
        var copy = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, module) in agent.Networks)
            foreach (var (p, t) in module.NamedParameters())
                copy[$"{name}.{p}"] = t.Data.ToArray();
        var stats = (agent as IObservationNormalized)?.ObservationNormalizer?.GetState();
        return new PolicySnapshot(copy, stats is null ? null : stats with { Mean = (double[])stats.Mean.Clone(), Var = (double[])stats.Var.Clone() });
    }

    /// <summary>Copies a <see cref="Snapshot"/> back into the agent.</summary>
    internal static void RestoreSnapshot(IAgent agent, PolicySnapshot snapshot)
    {
        foreach (var (name, module) in agent.Networks)
            foreach (var (p, t) in module.NamedParameters())
                snapshot.Weights[$"{name}.{p}"].CopyTo(t.Data);
        if (snapshot.ObservationStatistics is { } s) ((IObservationNormalized)agent).ObservationNormalizer!.SetState(s);
        (agent as ITargetNetworks)?.SyncTargetNetworks();
    }
}

/// <summary>An in-memory copy of a policy.</summary>
internal sealed record PolicySnapshot(Dictionary<string, float[]> Weights, RunningMeanStdState? ObservationStatistics);
