using Newtonsoft.Json.Serialization;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// A Newtonsoft.Json binder that maps allowed types to their short names and back, and refuses everything
/// else: reading a <c>$type</c> that is not on the <see cref="TypeAllowList"/> (including real CLR names such as
/// <c>"System.Diagnostics.Process, System"</c>) throws before any type is loaded or created; writing a type that
/// is not on the list throws too, so no file is written that could not be read back.
/// </summary>
public sealed class AllowListSerializationBinder(TypeAllowList allowList) : ISerializationBinder
{
    /// <summary>The list consulted.</summary>
    public TypeAllowList AllowList { get; } = allowList ?? throw new ArgumentNullException(nameof(allowList));

    /// <inheritdoc />
    public Type BindToType(string? assemblyName, string typeName)
    {
        if (assemblyName is null && AllowList.TryGetType(typeName, out var type))
            return type;
        var full = assemblyName is null ? typeName : $"{typeName}, {assemblyName}";
        throw new DisallowedTypeException(full, AllowList.DescribeDisallowed(full));
    }

    /// <inheritdoc />
    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
    {
        ArgumentNullException.ThrowIfNull(serializedType);
        if (!AllowList.TryGetName(serializedType, out var name))
            throw new InvalidOperationException(
                $"Cannot save a {serializedType.FullName}: its type is not on the allow-list, so the file could not be read back. " +
                $"Call TypeAllowList.Allow<{serializedType.Name}>() (on TypeAllowList.Default without DI) or services.AddRlExperiments(o => o.AllowType<{serializedType.Name}>()).");
        assemblyName = null;
        typeName = name;
    }
}

/// <summary>Thrown by <see cref="AllowListSerializationBinder"/> for a type name that is not allowed.</summary>
public sealed class DisallowedTypeException : Exception
{
    /// <summary>Creates the exception for <paramref name="typeName"/>.</summary>
    public DisallowedTypeException(string typeName, string message) : base(message) => TypeName = typeName;

    /// <summary>The rejected type name, as written in the file.</summary>
    public string TypeName { get; }
}
