using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// The contract conventions of experiment files: camelCase property names (dictionary keys kept as written);
/// C# <c>required</c> members are required in JSON (non-null unless the member is nullable); collection-valued
/// members carry no <c>$type</c> of their own (their items still do when they are polymorphic), so records can
/// hold read-only collections without allow-listing the collection types.
/// </summary>
public sealed class ExperimentContractResolver : DefaultContractResolver
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Creates the resolver.</summary>
    public ExperimentContractResolver() =>
        NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false, OverrideSpecifiedNames = false };

    /// <inheritdoc />
    protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
    {
        var property = base.CreateProperty(member, memberSerialization);
        if (member.IsDefined(typeof(RequiredMemberAttribute), inherit: false) && property.Required == Required.Default)
            property.Required = IsNullable(member) ? Required.AllowNull : Required.Always;
        var type = property.PropertyType;
        if (type is not null && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            property.TypeNameHandling ??= TypeNameHandling.None;
            property.ItemTypeNameHandling ??= TypeNameHandling.Auto;
        }
        return property;
    }

    private static bool IsNullable(MemberInfo member)
    {
        lock (Nullability)
        {
            return member switch
            {
                PropertyInfo p => Nullability.Create(p).WriteState != NullabilityState.NotNull,
                FieldInfo f => Nullability.Create(f).WriteState != NullabilityState.NotNull,
                _ => true,
            };
        }
    }
}
