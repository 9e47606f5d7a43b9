using System.Globalization;
using System.Reflection;
using RlExperiments.Factories.Models;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// One source of truth for every setting (Tianshou's split: sampling in <see cref="SamplingConfig"/>, the algorithm in
/// its params, the network in its model factories), checked generically for every algorithm factory from its params
/// record: a value given in two places that disagree is an error naming both; a sampling field that replaces a params
/// value left at its default is allowed and reported as a note.
/// </summary>
internal static class SettingSources
{
    /// <summary>The params fields that describe a network; a model factory describes it instead.</summary>
    internal static readonly string[] NetworkFields = ["HiddenSizes", "Activation", "OrthoInit", "Dueling", "ShareNetwork"];

    private const BindingFlags Instance = BindingFlags.Public | BindingFlags.Instance;

    public static IReadOnlyList<string> Check(AlgorithmFactory factory, SamplingConfig sampling, int numTrainEnvs)
    {
        var notes = new List<string>();
        var parameters = factory.ParamsRecord;
        if (parameters is null) return notes;
        var type = parameters.GetType();
        if (type.GetConstructor(Type.EmptyTypes) is null) return notes;
        var defaults = Activator.CreateInstance(type)!;
        var owner = type.Name;
        var fields = type.GetProperties(Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();

        // Sampling fields that set a params field: compare the params with and without each one.
        var bare = new SamplingConfig { NumTrainEnvs = sampling.NumTrainEnvs };
        var baseline = factory.EffectiveParamsRecord(bare, numTrainEnvs)!;
        foreach (var samplingField in typeof(SamplingConfig).GetProperties(Instance))
        {
            var value = samplingField.GetValue(sampling);
            if (value is null || samplingField.Name == nameof(SamplingConfig.NumTrainEnvs) || !samplingField.CanWrite) continue;
            var only = bare with { };
            samplingField.SetValue(only, value);
            var effective = factory.EffectiveParamsRecord(only, numTrainEnvs)!;
            foreach (var field in fields)
            {
                var after = field.GetValue(effective);
                if (Equals(field.GetValue(baseline), after)) continue;
                var given = field.GetValue(parameters);
                var byDefault = field.GetValue(defaults);
                if (!Equals(given, byDefault))
                    throw new ArgumentException(
                        $"SamplingConfig.{samplingField.Name} = {F(value)} and {owner}.{field.Name} = {F(given)} both set {owner}.{field.Name} " +
                        $"(the sampling field makes it {F(after)}); give it in one place: leave SamplingConfig.{samplingField.Name} null, " +
                        $"or leave {owner}.{field.Name} at its default ({F(byDefault)}).", samplingField.Name);
                notes.Add($"SamplingConfig.{samplingField.Name} = {F(value)} sets {owner}.{field.Name} = {F(after)} (its default {F(byDefault)} is not used).");
            }
        }

        // Model factories and the params' network fields.
        var models = factory.GetType().GetProperties(Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && typeof(IModelFactory).IsAssignableFrom(p.PropertyType))
            .Select(p => (p.Name, Model: p.GetValue(factory) as IModelFactory))
            .Where(m => m.Model is not null)
            .ToArray();
        if (models.Length == 0) return notes;
        foreach (var name in NetworkFields)
        {
            var field = type.GetProperty(name, Instance);
            if (field is null) continue;
            var given = field.GetValue(parameters);
            var byDefault = field.GetValue(defaults);
            if (Equals(given, byDefault)) continue;
            foreach (var (modelName, model) in models)
            {
                var same = model!.GetType().GetProperty(name, Instance);
                if (same is not null && Equals(same.GetValue(model), given)) continue;
                var says = same is null ? "" : $", whose {name} = {F(same.GetValue(model))}";
                throw new ArgumentException(
                    $"{owner}.{name} = {F(given)} and {factory.GetType().Name}.{modelName} ({model.GetType().Name}{says}) both describe the network; " +
                    $"describe it in one place: with a model factory, leave {owner}.{name} at its default ({F(byDefault)}) and set the networks " +
                    "with the factories (a network without a factory takes the params' defaults).", name);
            }
        }
        return notes;
    }

    /// <summary>A value as error messages show it (invariant culture, lists in brackets).</summary>
    internal static string F(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(F)) + "]",
        _ => value.ToString() ?? "?",
    };
}
