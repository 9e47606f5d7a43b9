using System.Collections;
using System.Reflection;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// Field-by-field equality of plain-value records whose list-valued properties (e.g. <c>HiddenSizes</c>) would
/// otherwise compare by reference, so a params record equals itself after a JSON round trip.
/// </summary>
internal static class StructuralEquality
{
    public static bool AreEqual<T>(T? a, T? b) where T : class
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.GetType() != b.GetType()) return false;
        foreach (var p in Properties(a.GetType()))
        {
            var x = p.GetValue(a);
            var y = p.GetValue(b);
            if (x is IEnumerable ex && x is not string && y is IEnumerable ey)
            {
                if (!ex.Cast<object?>().SequenceEqual(ey.Cast<object?>())) return false;
            }
            else if (!Equals(x, y)) return false;
        }
        return true;
    }

    public static int Hash<T>(T? value) where T : class
    {
        if (value is null) return 0;
        var h = new HashCode();
        foreach (var p in Properties(value.GetType()))
        {
            var v = p.GetValue(value);
            if (v is IEnumerable e && v is not string)
                foreach (var item in e) h.Add(item);
            else h.Add(v);
        }
        return h.ToHashCode();
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");
}
