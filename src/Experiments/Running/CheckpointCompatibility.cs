using System.Text.Json.Nodes;

namespace RlExperiments.Experiments;

/// <summary>
/// Compares the experiment a checkpoint was written by with the one resuming it: fields that change what training
/// computes (algorithm, params, models, optimiser, environment, sampling, seed) must be equal; fields that only change
/// output or bookkeeping (name, persistence, watching, logging, checkpoint interval, the number of epochs) may differ.
/// </summary>
internal static class CheckpointCompatibility
{
    private static readonly string[] Allowed =
    [
        "name", "droppedCallbacks", "loggerFactory",
        "config.train", "config.watch", "config.watchNumEpisodes", "config.watchRender", "config.persistenceBaseDir", "config.persistenceEnabled",
        "config.logFileEnabled", "config.policyPersistenceMode", "config.policyRestoreDirectory", "config.checkpointEveryEpochs",
        "config.keepCheckpoints", "sampling.numEpochs", "epochTestCallback", "epochStopCallback",
    ];

    /// <summary>The differing fields (path: checkpointed → current), excluding the allowed ones.</summary>
    public static IReadOnlyList<string> Differences(string savedJson, string currentJson)
    {
        var saved = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var current = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(Payload(JsonNode.Parse(savedJson)), "", saved);
        Flatten(Payload(JsonNode.Parse(currentJson)), "", current);
        var list = new List<string>();
        foreach (var key in saved.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            if (IsAllowed(key)) continue;
            saved.TryGetValue(key, out var a);
            current.TryGetValue(key, out var b);
            if (a != b) list.Add($"{key}: {a ?? "(absent)"} → {b ?? "(absent)"}");
        }
        return list;
    }

    /// <summary>experiment.json wraps the definition in an envelope (format, version, kind): compare the payload.</summary>
    private static JsonNode? Payload(JsonNode? root) => root is JsonObject obj && obj["payload"] is JsonObject payload ? payload : root;

    private static bool IsAllowed(string path)
    {
        foreach (var a in Allowed)
            if (path.Equals(a, StringComparison.OrdinalIgnoreCase) || path.StartsWith(a + ".", StringComparison.OrdinalIgnoreCase) ||
                path.StartsWith(a + "[", StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    private static void Flatten(JsonNode? node, string path, IDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                    Flatten(value, path.Length == 0 ? key : $"{path}.{key}", into);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Flatten(array[i], $"{path}[{i}]", into);
                if (array.Count == 0) into[path] = "[]";
                break;
            case null:
                into[path] = "null";
                break;
            default:
                into[path] = node.ToJsonString();
                break;
        }
    }
}
