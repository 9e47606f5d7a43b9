using System.Globalization;
using System.Reflection;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// One source of truth for every setting (Tianshou's split: sampling in <see cref="SamplingConfig"/>, the algorithm in
/// its params, the network in its model factories), checked generically for every algorithm factory from its params
/// record: a sampling field and a params field that set the same value and disagree are an error naming both; a
/// sampling field that replaces a params value left at its default is allowed and reported as a note. The network
/// cannot be given twice: params records have no network fields.
/// </summary>
internal static class SettingSources
{
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
