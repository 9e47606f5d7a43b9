using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// The contract conventions of experiment files: camelCase property names (dictionary keys kept as written);
/// every member that is written is required when read (non-null unless the member is nullable), so a field deleted from
/// a file is an error naming it rather than a silent default, except members marked <see cref="Core.OptionalInFileAttribute"/>
/// (added after files were first written; they take their documented default); collection-valued
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
        var requiredInCode = member.IsDefined(typeof(RequiredMemberAttribute), inherit: false);
        var written = property.Readable && !property.Ignored;
        var optional = member.IsDefined(typeof(Core.OptionalInFileAttribute), inherit: true);
        if (property.Required == Required.Default && (requiredInCode || (written && property.Writable && !optional)))
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
