using Newtonsoft.Json.Linq;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// Members that were renamed since experiment.json files were first written, read under their new names so old files
/// still load; each rename found is reported as a note (which the reader logs) saying what moved and how to write the
/// file with the new names.
/// </summary>
internal static class LegacyMembers
{
    /// <summary>One rename: in an object that is the value of <paramref name="Container"/>, <paramref name="Old"/> became <paramref name="New"/> (JSON names, matched ignoring case as the reader does).</summary>
    private sealed record Rename(string Container, string Old, string New, string Why);

    private static readonly Rename[] Renames =
    [
        new("params", "numEpochs", "updateEpochs",
            "the on-policy params' passes over each rollout (Stable-Baselines3's n_epochs) no longer share the name of SamplingConfig.NumEpochs, the epochs of the run"),
    ];

    /// <summary>Renames the old members in <paramref name="payload"/> in place and adds a note per rename to <paramref name="notes"/>.</summary>
    public static void Migrate(JToken payload, string source, ICollection<string>? notes)
    {
        foreach (var rename in Renames)
        {
            if (payload is not JContainer container) return;
            var objects = container.DescendantsAndSelf().OfType<JProperty>()
                .Where(p => string.Equals(p.Name, rename.Container, StringComparison.OrdinalIgnoreCase) && p.Value is JObject o
                    && o.Property(rename.Old, StringComparison.OrdinalIgnoreCase) is not null && o.Property(rename.New, StringComparison.OrdinalIgnoreCase) is null)
                .Select(p => (JObject)p.Value)
                .ToList();
            foreach (var o in objects)
            {
                var old = o.Property(rename.Old, StringComparison.OrdinalIgnoreCase)!;
                var path = old.Path;
                old.AddAfterSelf(new JProperty(rename.New, old.Value));
                old.Remove();
                notes?.Add($"{source}: '{path}' was read as '{rename.New}' ({rename.Why}). The file was written by an older version; " +
                    $"save the experiment again (Experiment.Save) to write the new name.");
            }
        }
    }
}
