using System.Reflection;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// A configuration key that maps one-to-one onto a params record's property (an integer, <c>long</c> in configurations, or
/// a number), so that algorithms whose params share fields (TD3 has DDPG's and three more) share the list of keys instead
/// of each repeating the same reads and writes.
/// </summary>
/// <param name="Key">The configuration key, e.g. <c>buffer_batch_size</c>.</param>
/// <param name="Property">The params property, e.g. <c>BatchSize</c>.</param>
/// <param name="Integer">An <c>int</c> property (else <c>double</c>).</param>
internal sealed record ParamsKey(string Key, string Property, bool Integer)
{
    /// <summary>An <c>int</c> property.</summary>
    public static ParamsKey Int(string key, string property) => new(key, property, true);

    /// <summary>A <c>double</c> property.</summary>
    public static ParamsKey Double(string key, string property) => new(key, property, false);

    /// <summary>
    /// <paramref name="p"/> with every key of <paramref name="keys"/> present in <paramref name="c"/> set (a copy, as a
    /// <c>with</c> expression makes; absent keys keep <paramref name="p"/>'s value).
    /// </summary>
    /// <exception cref="ArgumentException">A value of the wrong type (names the key).</exception>
    public static T Apply<T>(Configuration c, T p, IEnumerable<ParamsKey> keys) where T : class
    {
        foreach (var k in keys)
        {
            if (!MappingSupport.Has(c, k.Key)) continue;
            var copy = (T)CopyMethod<T>().Invoke(p, null)!;
            k.PropertyOf<T>().SetValue(copy, k.Integer ? (object)MappingSupport.Int(c, k.Key) : MappingSupport.Double(c, k.Key));
            p = copy;
        }
        return p;
    }

    /// <summary>The configuration entries of <paramref name="keys"/> for <paramref name="p"/>, in order.</summary>
    public static IEnumerable<KeyValuePair<string, object>> Describe<T>(T p, IEnumerable<ParamsKey> keys) where T : class =>
        keys.Select(k => new KeyValuePair<string, object>(k.Key,
            k.Integer ? (object)(long)(int)k.PropertyOf<T>().GetValue(p)! : (double)k.PropertyOf<T>().GetValue(p)!));

    private PropertyInfo PropertyOf<T>() =>
        typeof(T).GetProperty(Property, BindingFlags.Public | BindingFlags.Instance) is { } info && info.PropertyType == (Integer ? typeof(int) : typeof(double))
            ? info
            : throw new InvalidOperationException($"{typeof(T).Name} has no {(Integer ? "int" : "double")} property '{Property}' for the configuration key '{Key}'.");

    // The record's copy constructor behind `with` (C# records compile it as the public method "<Clone>$").
    private static MethodInfo CopyMethod<T>() =>
        typeof(T).GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not a record.");
}
