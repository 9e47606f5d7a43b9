using System.Collections;
using System.Runtime.CompilerServices;

namespace RlExperiments.Core;

/// <summary>
/// An immutable list that compares, hashes and prints by content, so a record holding one (hidden-layer widths in the
/// params records and model factories) equals its copy after a JSON round trip, as a record of plain values should.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    /// <summary>Copies <paramref name="items"/>.</summary>
    public ValueList(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.ToArray();
    }

    /// <summary>Copies <paramref name="items"/>.</summary>
    public ValueList(ReadOnlySpan<T> items) => _items = items.ToArray();

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Same items in the same order.</summary>
    public bool Equals(ValueList<T>? other) =>
        other is not null && ((ReadOnlySpan<T>)_items).SequenceEqual(other._items, EqualityComparer<T>.Default);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>The items in brackets, e.g. <c>[64, 64]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Creates <see cref="ValueList{T}"/>s (also from collection expressions, <c>ValueList&lt;int&gt; sizes = [64, 64];</c>).</summary>
public static class ValueList
{
    /// <summary>A list of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items);

    /// <summary>A value list with <paramref name="items"/>' content, or null for null (so validation can name the missing field).</summary>
    public static ValueList<T>? From<T>(IEnumerable<T>? items) => items switch
    {
        null => null,
        ValueList<T> list => list,
        _ => new ValueList<T>(items),
    };
}
