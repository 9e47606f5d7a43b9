using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// Reads experiment.json files written while params records still described networks (<c>hiddenSizes</c>,
/// <c>activation</c>, <c>dueling</c>, <c>orthoInit</c>, <c>shareNetwork</c>, <c>logStdMin</c>/<c>logStdMax</c>, IQN's
/// <c>headHiddenSizes</c> and <c>numCosines</c>). Those fields move out of the params into the algorithm's model factories,
/// exactly as the run then used them: a model factory the file left null is written with the params' values (the
/// network the params described); a model factory the file sets is kept, since it described the network then as now,
/// and params values that differ from it are dropped. Every move is reported as a note (which the reader logs).
/// </summary>
internal static class LegacyNetworkFields
{
    /// <summary>The params fields that described networks, by JSON name.</summary>
    private static readonly string[] Fields = ["hiddenSizes", "activation", "dueling", "orthoInit", "shareNetwork", "logStdMin", "logStdMax", "headHiddenSizes", "numCosines"];

    /// <summary>
    /// Where a model factory takes each old params field, for the factories that do not take it under its own name
    /// (IQN's head: its widths were the params' <c>headHiddenSizes</c>; the params' <c>hiddenSizes</c> were the preprocess network's).
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Renamed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["quantileNetworkFactory"] = new(StringComparer.OrdinalIgnoreCase) { ["hiddenSizes"] = "headHiddenSizes", ["activation"] = "activation", ["numCosines"] = "numCosines" },
    };

    /// <summary>Moves the network fields of every algorithm's params in <paramref name="payload"/> into its model factories, adding a note per algorithm.</summary>
    /// <param name="payload">The file's payload (type names already checked against the allow list).</param>
    /// <param name="source">The file, for the notes.</param>
    /// <param name="notes">Receives the notes; null to drop them.</param>
    /// <param name="allowList">Resolves the algorithm's type name.</param>
    /// <param name="serializer">Writes the algorithm's default model factories as the file would hold them.</param>
    public static void Migrate(JToken payload, string source, ICollection<string>? notes, TypeAllowList allowList, JsonSerializer serializer)
    {
        if (payload is not JContainer container) return;
        var algorithms = container.DescendantsAndSelf().OfType<JObject>()
            .Where(o => o.Property("$type") is { Value.Type: JTokenType.String } t && allowList.TryGetType((string)t.Value!, out var type)
                && typeof(AlgorithmFactory).IsAssignableFrom(type) && !type.IsAbstract
                && o.Property("params", StringComparison.OrdinalIgnoreCase)?.Value is JObject p && Fields.Any(f => p.Property(f, StringComparison.OrdinalIgnoreCase) is not null))
            .ToList();
        foreach (var algorithm in algorithms)
        {
            allowList.TryGetType((string)algorithm["$type"]!, out var type);
            Migrate(algorithm, type, source, notes, serializer);
        }
    }

    private static void Migrate(JObject algorithm, Type type, string source, ICollection<string>? notes, JsonSerializer serializer)
    {
        var parameters = (JObject)algorithm.Property("params", StringComparison.OrdinalIgnoreCase)!.Value;
        var old = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in Fields)
        {
            if (parameters.Property(field, StringComparison.OrdinalIgnoreCase) is not { } property) continue;
            old[field] = property.Value;
            property.Remove();
        }
        var defaults = (AlgorithmFactory)Activator.CreateInstance(type)!;
        var written = JObject.FromObject(defaults, serializer);
        var moved = new List<string>();
        var ignored = new List<string>();

        // PPO's and A2C's shareNetwork: one trunk for actor and critic, now CriticUseActor (only when the params described both networks, as then).
        var share = old.TryGetValue("shareNetwork", out var shareToken) && shareToken.Type == JTokenType.Boolean && (bool)shareToken;
        if (share)
        {
            if (IsNullOrMissing(algorithm, "actorFactory") && IsNullOrMissing(algorithm, "criticFactory") && written.Property("criticUseActor") is not null)
            {
                Set(algorithm, "criticUseActor", new JValue(true));
                Set(algorithm, "criticFactory", JValue.CreateNull());
                moved.Add("shareNetwork = true → criticUseActor = true");
            }
            else
                ignored.Add("the actor and critic factories keep separate networks, not params.shareNetwork true");
        }
        var criticUseActor = algorithm.Property("criticUseActor", StringComparison.OrdinalIgnoreCase)?.Value is { Type: JTokenType.Boolean } c && (bool)c;

        foreach (var (name, model) in defaults.ModelFactories())
        {
            var slot = char.ToLowerInvariant(name[0]) + name[1..];
            if (slot == "criticFactory" && criticUseActor) continue;
            var sources = Renamed.TryGetValue(slot, out var renamed) ? renamed : null;
            string? From(string factoryField) => sources is null
                ? Fields.Contains(factoryField, StringComparer.OrdinalIgnoreCase) ? factoryField : null
                : sources.TryGetValue(factoryField, out var f) ? f : null;
            if (IsNullOrMissing(algorithm, slot))
            {
                var factory = (JObject)written[slot]!.DeepClone();
                var taken = new List<string>();
                foreach (var property in factory.Properties().ToList())
                {
                    if (From(property.Name) is not { } field || !old.TryGetValue(field, out var value)) continue;
                    property.Value = value.DeepClone();
                    taken.Add(field);
                }
                Set(algorithm, slot, factory);
                moved.Add($"{string.Join(", ", taken.Select(t => $"params.{t}"))} → {slot} ({model.GetType().Name})");
            }
            else if (algorithm.Property(slot, StringComparison.OrdinalIgnoreCase)!.Value is JObject given)
            {
                foreach (var property in given.Properties())
                {
                    if (From(property.Name) is not { } field || !old.TryGetValue(field, out var value) || JToken.DeepEquals(value, property.Value)) continue;
                    ignored.Add($"{slot} ({TypeName(given, model)}) keeps its {property.Name} {property.Value.ToString(Formatting.None)}, not params.{field} {value.ToString(Formatting.None)}");
                }
            }
        }
        var path = parameters.Path;
        var note = $"{source}: '{path}' held the network ({string.Join(", ", old.Keys)}), which is now described only by the model factories; moved: " +
            (moved.Count == 0 ? "nothing (every network has a model factory in the file)" : string.Join("; ", moved)) + ".";
        if (ignored.Count > 0) note += $" Where the file also sets a model factory, the factory wins over the params, as it did when the file was written: {string.Join("; ", ignored)}.";
        notes?.Add(note + " The file was written by an older version; save the experiment again (Experiment.Save) to write the new layout.");
    }

    private static bool IsNullOrMissing(JObject o, string name) =>
        o.Property(name, StringComparison.OrdinalIgnoreCase) is not { } p || p.Value.Type == JTokenType.Null;

    private static void Set(JObject o, string name, JToken value)
    {
        if (o.Property(name, StringComparison.OrdinalIgnoreCase) is { } p) p.Value = value;
        else o.Add(name, value);
    }

    private static string TypeName(JObject factory, object byDefault) => factory.Property("$type")?.Value.ToString() ?? byDefault.GetType().Name;
}
