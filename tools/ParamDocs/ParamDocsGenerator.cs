using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Tuning;

namespace ParamDocs;

/// <summary>
/// Writes the parameter reference: one Markdown page per registered algorithm (<c>docs/algorithms/&lt;algo&gt;.md</c>)
/// and an index, all from the code: the params record's fields (type, default from a fresh record), their XML doc
/// comments, the search-space hyperparameter that sets each (found by applying it and seeing which field moves), the
/// sampling field that sets each (the same way), and the Stable-Baselines3 and Tianshou names (<see cref="KnownNames"/>).
/// </summary>
public static class ParamDocsGenerator
{
    /// <summary>The command that regenerates the pages, for messages.</summary>
    public const string Command = "dotnet run --project tools/ParamDocs -c Release";

    /// <summary>The folder of the pages, relative to the repository root.</summary>
    public const string Folder = "docs/algorithms";

    /// <summary>The pages, file name → Markdown.</summary>
    public static IReadOnlyDictionary<string, string> Generate(AlgorithmRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var docs = new XmlDocs();
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var index = new StringBuilder();
        index.Append("# Parameter reference\n\n")
            .Append("Generated from the code by `").Append(Command).Append("`; do not edit by hand (a test fails when these pages are out of date).\n\n")
            .Append("Each setting has one place: sampling in `SamplingConfig` (Tianshou's names), the algorithm in its params record, ")
            .Append("the network in its model factories. A `SamplingConfig` field that sets a params field is listed next to it; giving both ")
            .Append("with different values is an error at `Build()` that names both.\n\n")
            .Append("| algorithm | params | description |\n| --- | --- | --- |\n");
        foreach (var module in registry.Modules.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var factory = module.CreateDefault();
            if (factory.ParamsRecord is not { } parameters) continue;
            var file = module.Name.ToLowerInvariant() + ".md";
            pages[file] = Page(module, factory, parameters, docs);
            index.Append("| [").Append(module.Name).Append("](").Append(file).Append(") | `").Append(parameters.GetType().Name).Append("` | ")
                .Append(module.Description.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }
        pages["README.md"] = index.ToString();
        return pages;
    }

    /// <summary>Writes the pages into <paramref name="directory"/>, removing pages of algorithms no longer registered.</summary>
    public static void Write(string directory, IReadOnlyDictionary<string, string> pages)
    {
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.GetFiles(directory, "*.md").Where(f => !pages.ContainsKey(Path.GetFileName(f))))
            File.Delete(stale);
        foreach (var (name, text) in pages)
            RlExperiments.Core.AtomicFile.WriteAllText(Path.Combine(directory, name), text);
    }

    /// <summary>The files of <paramref name="directory"/> that differ from <paramref name="pages"/> (missing, stale or changed).</summary>
    public static IReadOnlyList<string> Differences(string directory, IReadOnlyDictionary<string, string> pages)
    {
        var differences = new List<string>();
        foreach (var (name, text) in pages)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) differences.Add($"{name} is missing");
            else if (File.ReadAllText(path).ReplaceLineEndings("\n") != text) differences.Add($"{name} is out of date");
        }
        if (Directory.Exists(directory))
            differences.AddRange(Directory.GetFiles(directory, "*.md").Select(Path.GetFileName).Where(n => !pages.ContainsKey(n!)).Select(n => $"{n} belongs to no registered algorithm"));
        return differences;
    }

    private static string Page(AlgorithmModule module, AlgorithmFactory factory, object parameters, XmlDocs docs)
    {
        var type = parameters.GetType();
        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .ToArray();
        var searchKeys = SearchKeys(factory, parameters, module.SearchSpace(), nas: false)
            .Concat(SearchKeys(factory, parameters, module.NasSpace(), nas: true))
            .GroupBy(k => k.Field).ToDictionary(g => g.Key, g => g.ToList());
        var samplingKeys = SamplingKeys(factory);

        var md = new StringBuilder();
        md.Append("# ").Append(module.Name).Append(": `").Append(type.Name).Append("`\n\n")
            .Append("Generated from the code by `").Append(Command).Append("`; do not edit by hand.\n\n")
            .Append(module.Description).Append(".\n\n")
            .Append(docs.Summary(type)).Append("\n\n")
            .Append("- Factory: `").Append(factory.GetType().Name).Append("` (namespace `").Append(factory.GetType().Namespace).Append("`); params: `")
            .Append(type.Name).Append("` (namespace `").Append(type.Namespace).Append("`).\n")
            .Append("- Default schedule: ").Append(Invariant(factory.DefaultSchedule.NumEpochs)).Append(" epochs of ")
            .Append(Invariant(factory.DefaultSchedule.EpochNumSteps)).Append(" environment steps (`SamplingConfig.NumEpochs`, `EpochNumSteps`).\n")
            .Append("- Search space `").Append(module.SearchSpace().Name).Append("` and network space `").Append(module.NasSpace().Name)
            .Append("` (ARLBench's names), used by `WithHyperparameters` and the studies.\n\n");

        md.Append("| field | type | default | allowed | set by `SamplingConfig` | search space | SB3 | Tianshou |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var field in fields)
        {
            var names = KnownNames.For(module.Name, field.Name)
                ?? throw new InvalidOperationException($"tools/ParamDocs/KnownNames.cs has no SB3/Tianshou names for {module.Name}'s {type.Name}.{field.Name}; add them (\"—\" for none).");
            var search = searchKeys.TryGetValue(field.Name, out var keys) ? string.Join("<br>", keys.Select(k => k.Text)) : "—";
            var sampling = samplingKeys.TryGetValue(field.Name, out var s) ? string.Join(", ", s.Select(n => $"`{n}`")) : "—";
            md.Append("| `").Append(field.Name).Append("` | `").Append(TypeName(field.PropertyType)).Append("` | `").Append(Format(field.GetValue(parameters)))
                .Append("` | ").Append(Allowed(parameters, field, docs.Summary(field))).Append(" | ").Append(sampling).Append(" | ").Append(search).Append(" | ").Append(Code(names.Sb3)).Append(" | ").Append(Code(names.Tianshou)).Append(" |\n");
        }
        md.Append("\n## Networks\n\nThe networks are described only by `").Append(factory.GetType().Name)
            .Append("`'s model factories, never by the params; `experiment.json` saves them. A configuration of the network space `")
            .Append(module.NasSpace().Name).Append("` (`hidden_size` h → two layers of width h, `activation`) sets every one of them, and a preset's `NetArch` sets their widths.\n\n")
            .Append("| model factory | default | field | default value | SB3 | Tianshou |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var (slot, model) in factory.ModelFactories())
        {
            foreach (var field in model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).OrderBy(p => p.MetadataToken))
            {
                var names = KnownNames.For(module.Name, field.Name);
                md.Append("| `").Append(slot).Append("` | `").Append(model.GetType().Name).Append("` | `").Append(field.Name).Append("` | `")
                    .Append(Format(field.GetValue(model))).Append("` | ").Append(Code(names?.Sb3 ?? "—")).Append(" | ").Append(Code(names?.Tianshou ?? "—")).Append(" |\n");
            }
        }
        var presets = type.Assembly.GetType(type.FullName![..^"Params".Length] + "Presets");
        if (presets is not null)
        {
            md.Append("\n## Presets\n\n`").Append(presets.Name).Append("` (namespace `").Append(presets.Namespace).Append("`): ")
                .Append(docs.Summary(presets)).Append("\n\n| preset | environment | steps | environments | source |\n| --- | --- | --- | --- | --- |\n");
            foreach (var preset in presets.GetProperties(BindingFlags.Public | BindingFlags.Static)
                         .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(RlExperiments.Agents.Presets.ZooPreset<>)))
            {
                var value = preset.GetValue(null)!;
                object? Get(string name) => value.GetType().GetProperty(name)!.GetValue(value);
                md.Append("| `").Append(presets.Name).Append('.').Append(preset.Name).Append("` | `").Append(Get("EnvId")).Append("` | ")
                    .Append(Format(Get("TotalTimesteps"))).Append(" | ").Append(Format(Get("NumEnvs"))).Append(" | ").Append(docs.Summary(preset)).Append(" |\n");
            }
        }
        md.Append("\n## Fields\n\n");
        foreach (var field in fields)
            md.Append("- **`").Append(field.Name).Append("`** (`").Append(TypeName(field.PropertyType)).Append("`, default `").Append(Format(field.GetValue(parameters)))
                .Append("`): ").Append(docs.Summary(field) is { Length: > 0 } summary ? summary : "(no doc comment)").Append('\n');
        return md.ToString();
    }

    /// <summary>
    /// The values the params' own <c>Validate()</c> accepts for <paramref name="field"/> (the other fields at their
    /// defaults), found by trying values around the usual bounds; for other types, the doc comment's "Must ..." sentences.
    /// </summary>
    private static string Allowed(object parameters, PropertyInfo field, string summary)
    {
        var type = Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType;
        var nullable = Nullable.GetUnderlyingType(field.PropertyType) is not null;
        string? range = null;
        if (type == typeof(int))
        {
            var ok = new[] { -2, -1, 0, 1, 2 }.Where(v => Accepts(parameters, field, v)).ToArray();
            range = ok.Length == 0 ? null
                : ok.SequenceEqual([-2, -1, 0, 1, 2]) ? "any integer"
                : ok.SequenceEqual([-1, 1, 2]) ? "−1 or ≥ 1"
                : ok.SequenceEqual(Enumerable.Range(ok[0], 3 - ok[0])) ? (ok[0] < 0 ? $"≥ −{-ok[0]}" : $"≥ {ok[0]}") : null;
        }
        else if (type == typeof(double))
        {
            bool A(double v) => Accepts(parameters, field, v);
            var (neg, zero, tiny, one, above) = (A(-1), A(0), A(1e-9), A(1), A(1.5));
            range = (neg, zero, tiny, one, above) switch
            {
                (true, true, true, true, true) => A(double.PositiveInfinity) ? "any" : "any finite number",
                (false, true, true, true, true) => "≥ 0",
                (false, false, true, true, true) => "> 0",
                (false, true, true, true, false) => "[0, 1]",
                (false, false, true, true, false) => "(0, 1]",
                (false, true, true, false, false) => "[0, 1)",
                (false, false, true, false, false) => "(0, 1)",
                _ => null,
            };
        }
        else if (type == typeof(bool)) range = "true, false";
        else if (type.IsEnum) range = string.Join(", ", Enum.GetNames(type));
        if (range is not null)
            return nullable && Accepts(parameters, field, null) ? range + ", or null" : range;
        var sentences = summary.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(x => x.Contains("Must ", StringComparison.Ordinal) || x.Contains("must ", StringComparison.Ordinal) || x.StartsWith("Each ≥", StringComparison.Ordinal))
            .Select(x => x.TrimEnd('.'))
            .ToArray();
        return sentences.Length == 0 ? "see below" : string.Join("; ", sentences);
    }

    /// <summary>Whether the params' <c>Validate()</c> accepts <paramref name="value"/> in <paramref name="field"/>.</summary>
    private static bool Accepts(object parameters, PropertyInfo field, object? value)
    {
        var type = parameters.GetType();
        var copy = type.GetMethod("<Clone>$")!.Invoke(parameters, null)!;
        var target = Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType;
        field.SetValue(copy, value is null ? null : Convert.ChangeType(value, target, CultureInfo.InvariantCulture));
        try
        {
            type.GetMethod("Validate", Type.EmptyTypes)!.Invoke(copy, null);
            return true;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException)
        {
            return false;
        }
    }

    /// <summary>For each hyperparameter of <paramref name="space"/>, the params field(s) it sets and its range.</summary>
    private static IEnumerable<(string Field, string Text)> SearchKeys(AlgorithmFactory factory, object parameters, ConfigurationSpace space, bool nas)
    {
        foreach (var h in space.Hyperparameters)
        {
            var probe = Probe(h);
            if (probe is null) continue;
            AlgorithmFactory changed;
            try
            {
                var config = new Configuration([new KeyValuePair<string, object>(h.Name, probe)]);
                changed = nas ? factory.WithConfiguration(new Configuration([]), config) : factory.WithConfiguration(config);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                continue;   // a value the params cannot express (the mapping says so at Build); no field to show
            }
            foreach (var field in Changed(parameters, changed.ParamsRecord!))
                yield return (field, $"`{h.Name}` {Range(h)}");
        }
    }

    /// <summary>For each params field, the <see cref="SamplingConfig"/> fields that set it (found by setting each alone).</summary>
    private static Dictionary<string, List<string>> SamplingKeys(AlgorithmFactory factory)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var baseline = factory.EffectiveParamsRecord(new SamplingConfig(), 1)!;
        var probes = new (string Name, SamplingConfig Sampling)[]
        {
            (nameof(SamplingConfig.BatchSize), new SamplingConfig { BatchSize = 7 }),
            (nameof(SamplingConfig.BufferSize), new SamplingConfig { BufferSize = 777 }),
            (nameof(SamplingConfig.StepPerCollect), new SamplingConfig { StepPerCollect = 77 }),
            (nameof(SamplingConfig.RepeatPerCollect), new SamplingConfig { RepeatPerCollect = 7 }),
            (nameof(SamplingConfig.UpdatePerStep), new SamplingConfig { UpdatePerStep = 7 }),
            (nameof(SamplingConfig.StartTimesteps), new SamplingConfig { StartTimesteps = 77 }),
        };
        foreach (var (name, sampling) in probes)
            foreach (var field in Changed(baseline, factory.EffectiveParamsRecord(sampling, 1)!))
            {
                if (!result.TryGetValue(field, out var list)) result[field] = list = [];
                list.Add(name);
            }
        return result;
    }

    private static IEnumerable<string> Changed(object before, object after) =>
        before.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && !Equals(p.GetValue(before), p.GetValue(after)))
            .Select(p => p.Name);

    /// <summary>A value of the hyperparameter other than its default, to see which field it sets.</summary>
    private static object? Probe(Hyperparameter h) => h switch
    {
        FloatHyperparameter f => f.Log ? Math.Sqrt(f.Lower * f.Upper) * 1.01 : f.Lower + (f.Upper - f.Lower) * 0.37,
        IntegerHyperparameter i => (long)Math.Clamp((double)i.Lower + Math.Max(1, (i.Upper - i.Lower) / 3), i.Lower, i.Upper) == (long)(IConvertible)i.Default
            ? i.Upper : (long)Math.Clamp((double)i.Lower + Math.Max(1, (i.Upper - i.Lower) / 3), i.Lower, i.Upper),
        CategoricalHyperparameter c => c.Choices.FirstOrDefault(x => !ConfigValues.AreEqual(x, c.Default)),
        _ => null,
    };

    private static string Range(Hyperparameter h) => h switch
    {
        FloatHyperparameter f => $"[{Invariant(f.Lower)}, {Invariant(f.Upper)}]{(f.Log ? " log" : "")}, default {Invariant(f.Default)}",
        IntegerHyperparameter i => $"[{Invariant(i.Lower)}, {Invariant(i.Upper)}]{(i.Log ? " log" : "")}, default {Invariant(i.Default)}",
        CategoricalHyperparameter c => $"{{{string.Join(", ", c.Choices.Select(Invariant))}}}, default {Invariant(c.Default)}",
        _ => "",
    };

    private static string Code(string text) => text == "—" ? "—" : text.StartsWith("— ", StringComparison.Ordinal) ? text : $"`{text}`";

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return TypeName(inner) + "?";
        if (type.IsGenericType)
            return $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
        return type switch
        {
            _ when type == typeof(int) => "int",
            _ when type == typeof(long) => "long",
            _ when type == typeof(double) => "double",
            _ when type == typeof(float) => "float",
            _ when type == typeof(bool) => "bool",
            _ when type == typeof(string) => "string",
            _ => type.Name,
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string Invariant(object? value) => Format(value);
}
