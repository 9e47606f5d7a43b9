using System.Text.RegularExpressions;
using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// The types that saved experiment files may name, each under a short, stable name (e.g.
/// <c>"TensorBoardLoggerFactory"</c>) that is written as the JSON <c>$type</c> instead of a CLR type name. When
/// reading, a name not on the list is an error and nothing is created (design principle 2: restore is safe).
/// </summary>
/// <remarks>
/// <para>Holds the framework's own factory and config types (see <see cref="FrameworkTypes"/>) unless created with
/// <c>includeFrameworkTypes: false</c>; add your own with <see cref="Allow{T}(string?)"/>, or with
/// <c>services.AddRlExperiments(o =&gt; o.AllowType&lt;MyEnvFactory&gt;())</c>. Without DI, register on
/// <see cref="Default"/>, which <see cref="ExperimentJson.Default"/> uses.</para>
/// <para>Names are part of the file format: renaming a type's registered name breaks old files, renaming the
/// CLR type does not. Thread-safe.</para>
/// </remarks>
public sealed partial class TypeAllowList
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _byType = [];

    /// <summary>
    /// Creates a list holding the framework's types and the persisted types of every module of <paramref name="algorithms"/>
    /// (default <see cref="AlgorithmRegistry.Default"/>; modules registered later are included too), or an empty one.
    /// </summary>
    public TypeAllowList(bool includeFrameworkTypes = true, AlgorithmRegistry? algorithms = null)
    {
        if (includeFrameworkTypes)
        {
            foreach (var (type, name) in FrameworkTypes.All)
                Allow(type, name);
            _algorithms = algorithms ?? AlgorithmRegistry.Default;
        }
    }

    private readonly AlgorithmRegistry? _algorithms;

    /// <summary>Allows the types of modules registered since this list was last asked (registries can grow at any time).</summary>
    private void SyncAlgorithms()
    {
        if (_algorithms is null) return;
        foreach (var type in _algorithms.PersistedTypes)
            if (!IsAllowedCore(type)) Allow(type);
    }

    private bool IsAllowedCore(Type type)
    {
        lock (_lock)
            return _byType.ContainsKey(type);
    }

    /// <summary>The process-wide list used by <see cref="ExperimentJson.Default"/> (the framework's types plus whatever is registered on it).</summary>
    public static TypeAllowList Default { get; } = new();

    /// <summary>The allowed names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            SyncAlgorithms();
            lock (_lock)
                return _byName.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Allows <typeparamref name="T"/> under <paramref name="name"/> (default: the type's name, e.g. <c>"MyEnvFactory"</c>).</summary>
    /// <returns>This list, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken by another type, or the type is already allowed under another name, or the type cannot be allowed (open generic, delegate, pointer).</exception>
    public TypeAllowList Allow<T>(string? name = null) => Allow(typeof(T), name);

    /// <summary>Allows <paramref name="type"/> under <paramref name="name"/> (default: the type's name). Allowing the same type under the same name again does nothing.</summary>
    /// <returns>This list, for chaining.</returns>
    /// <exception cref="ArgumentException">See <see cref="Allow{T}(string?)"/>.</exception>
    public TypeAllowList Allow(Type type, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.ContainsGenericParameters)
            throw new ArgumentException($"Cannot allow the open generic type {type}; allow a closed type such as {type.Name.Split('`')[0]}<int>, with an explicit name.", nameof(type));
        if (typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type.IsByRef)
            throw new ArgumentException($"Cannot allow {type}: delegates, pointers and by-ref types are not data and cannot be saved.", nameof(type));
        if (name is null && type.IsGenericType)
            throw new ArgumentException($"The generic type {type} needs an explicit name, e.g. Allow<{type.Name.Split('`')[0]}<...>>(\"My{type.Name.Split('`')[0]}\").", nameof(name));
        name ??= type.Name;
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException(
                $"'{name}' is not a valid allow-list name; allowed: a letter or '_' followed by letters, digits, '_', '.', '-' or '+' (no commas, brackets or spaces).", nameof(name));
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var existing))
            {
                if (existing == type)
                    return this;
                throw new ArgumentException($"The name '{name}' is already taken by {existing.FullName}; allow {type.FullName} under another name.", nameof(name));
            }
            if (_byType.TryGetValue(type, out var existingName))
                throw new ArgumentException($"{type.FullName} is already allowed as '{existingName}'; a type has one name.", nameof(type));
            _byName.Add(name, type);
            _byType.Add(type, name);
        }
        return this;
    }

    /// <summary>True when <paramref name="type"/> is allowed.</summary>
    public bool IsAllowed(Type type)
    {
        SyncAlgorithms();
        return IsAllowedCore(type);
    }

    /// <summary>The name <paramref name="type"/> is allowed under.</summary>
    public bool TryGetName(Type type, out string name)
    {
        SyncAlgorithms();
        lock (_lock)
            return _byType.TryGetValue(type, out name!);
    }

    /// <summary>The type allowed under <paramref name="name"/> (exact, case-sensitive match).</summary>
    public bool TryGetType(string name, out Type type)
    {
        SyncAlgorithms();
        lock (_lock)
            return _byName.TryGetValue(name, out type!);
    }

    /// <summary>The explanation used when a file names <paramref name="typeNames"/>, which are not allowed.</summary>
    public string DescribeDisallowed(params IEnumerable<string> typeNames)
    {
        var names = typeNames.Distinct(StringComparer.Ordinal).Select(n => $"'{n}'").ToArray();
        var subject = names.Length == 1 ? $"the type {names[0]} is" : $"the types {string.Join(", ", names)} are";
        return $"{subject} not on the allow-list, so nothing was created. Allowed types: {string.Join(", ", Names)}. " +
            "To allow your own type, call TypeAllowList.Allow<T>() (on TypeAllowList.Default without DI) or services.AddRlExperiments(o => o.AllowType<T>()).";
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-+]*$")]
    private static partial Regex NamePattern();
}
