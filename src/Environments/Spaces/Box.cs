using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using RlExperiments.Core;

namespace RlExperiments.Environments.Spaces;

/// <summary>
/// A (possibly unbounded) box of float32 vectors, <c>Low[i] &lt;= x[i] &lt;= High[i]</c> (Gymnasium's
/// <c>Box(low, high, shape, dtype=np.float32)</c>). Elements are stored flattened in row-major order.
/// </summary>
public sealed record Box : Space
{
    private readonly float[] _low;
    private readonly float[] _high;
    private readonly int[] _shape;

    /// <summary>A box with the same scalar bounds on every element, e.g. <c>new Box(-2f, 2f, 1)</c>.</summary>
    /// <param name="low">The lower bound of every element (may be minus infinity).</param>
    /// <param name="high">The upper bound of every element (may be plus infinity).</param>
    /// <param name="shape">The element shape; every dimension positive.</param>
    public Box(float low, float high, params int[] shape)
        : this(Fill(low, shape), Fill(high, shape), shape) { }

    /// <summary>A box with per-element bounds; <paramref name="shape"/> defaults to <c>[low.Length]</c>.</summary>
    /// <exception cref="ArgumentException">Lengths disagree, a bound is NaN, or a low bound exceeds its high bound.</exception>
    public Box(float[] low, float[] high, int[]? shape = null)
    {
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        shape ??= [low.Length];
        var size = CheckShape(shape);
        if (low.Length != size)
            throw new ArgumentException($"low has {low.Length} elements but shape ({string.Join(", ", shape)}) needs {size}.", nameof(low));
        if (high.Length != size)
            throw new ArgumentException($"high has {high.Length} elements but shape ({string.Join(", ", shape)}) needs {size}.", nameof(high));
        for (var i = 0; i < size; i++)
        {
            if (float.IsNaN(low[i]) || float.IsNaN(high[i]))
                throw new ArgumentException($"Box bounds must not be NaN (element {i}).", nameof(low));
            if (low[i] > high[i])
                throw new ArgumentException($"low[{i}] = {low[i].ToString(CultureInfo.InvariantCulture)} exceeds high[{i}] = {high[i].ToString(CultureInfo.InvariantCulture)}.", nameof(low));
            if (float.IsPositiveInfinity(low[i]) || float.IsNegativeInfinity(high[i]))
                throw new ArgumentException($"low[{i}] cannot be +inf and high[{i}] cannot be -inf.", nameof(low));
        }
        _low = (float[])low.Clone();
        _high = (float[])high.Clone();
        _shape = (int[])shape.Clone();
    }

    /// <summary>The flattened lower bounds.</summary>
    [JsonIgnore]
    public ReadOnlySpan<float> Low => _low;

    /// <summary>The flattened upper bounds.</summary>
    [JsonIgnore]
    public ReadOnlySpan<float> High => _high;

    /// <inheritdoc />
    public override IReadOnlyList<int> Shape => _shape;

    /// <inheritdoc />
    public override int FlatSize => _low.Length;

    /// <summary>True when every element has finite low and high bounds.</summary>
    public bool IsBounded
    {
        get
        {
            for (var i = 0; i < _low.Length; i++)
                if (!float.IsFinite(_low[i]) || !float.IsFinite(_high[i]))
                    return false;
            return true;
        }
    }

    /// <summary>True when <paramref name="x"/> has <see cref="FlatSize"/> elements, each within its bounds (NaN is never contained).</summary>
    public bool Contains(ReadOnlySpan<float> x)
    {
        if (x.Length != _low.Length)
            return false;
        for (var i = 0; i < x.Length; i++)
            if (!(x[i] >= _low[i] && x[i] <= _high[i]))
                return false;
        return true;
    }

    /// <summary>
    /// Writes a random element into <paramref name="destination"/>, as Gymnasium's <c>Box.sample</c>: uniform
    /// where both bounds are finite, shifted exponential where one is, standard normal where none is.
    /// Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="FlatSize"/> long.</exception>
    public void Sample(Rng rng, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (destination.Length != _low.Length)
            throw new ArgumentException($"destination has {destination.Length} elements; the box has {_low.Length}.", nameof(destination));
        for (var i = 0; i < destination.Length; i++)
        {
            var lowFinite = float.IsFinite(_low[i]);
            var highFinite = float.IsFinite(_high[i]);
            double value;
            if (lowFinite && highFinite)
                value = rng.Uniform(_low[i], _high[i]);
            else if (lowFinite)
                value = _low[i] + Exponential(rng);
            else if (highFinite)
                value = _high[i] - Exponential(rng);
            else
                value = rng.Normal();
            destination[i] = Math.Clamp((float)value, _low[i], _high[i]);
        }
    }

    /// <summary>A new array holding a random element (see <see cref="Sample(Rng, Span{float})"/>).</summary>
    public float[] Sample(Rng rng)
    {
        var result = new float[_low.Length];
        Sample(rng, result);
        return result;
    }

    /// <inheritdoc />
    public override SpaceDescription Describe()
    {
        var low = new float?[_low.Length];
        var high = new float?[_high.Length];
        for (var i = 0; i < low.Length; i++)
        {
            low[i] = float.IsNegativeInfinity(_low[i]) ? null : _low[i];
            high[i] = float.IsPositiveInfinity(_high[i]) ? null : _high[i];
        }
        return new SpaceDescription("Box", (int[])_shape.Clone(), "float32", Low: low, High: high);
    }

    /// <summary>Value equality: same shape and bit-identical bounds.</summary>
    public bool Equals(Box? other) =>
        other is not null && _shape.AsSpan().SequenceEqual(other._shape) &&
        _low.AsSpan().SequenceEqual(other._low) && _high.AsSpan().SequenceEqual(other._high);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _shape) hash.Add(d);
        foreach (var v in _low) hash.Add(v);
        foreach (var v in _high) hash.Add(v);
        return hash.ToHashCode();
    }

    /// <summary>Gymnasium's repr, e.g. <c>Box(-2.0, 2.0, (1,), float32)</c> or <c>Box([-1.2 -0.07], [0.6 0.07], (2,), float32)</c>.</summary>
    public override string ToString()
    {
        var shape = _shape.Length == 1 ? $"({_shape[0]},)" : $"({string.Join(", ", _shape)})";
        return $"Box({FormatBounds(_low)}, {FormatBounds(_high)}, {shape}, float32)";
    }

    /// <summary>Prints the Gymnasium-style bounds (used by the record's generated members).</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append(ToString());
        return true;
    }

    private static string FormatBounds(float[] values)
    {
        var allSame = true;
        for (var i = 1; i < values.Length; i++)
            allSame &= values[i].Equals(values[0]);
        if (allSame && values.Length > 0)
            return Format(values[0]);
        return "[" + string.Join(" ", values.Select(Format)) + "]";
    }

    private static string Format(float v) =>
        float.IsPositiveInfinity(v) ? "inf" :
        float.IsNegativeInfinity(v) ? "-inf" :
        v == MathF.Floor(v) && Math.Abs(v) < 1e7f ? v.ToString("0.0", CultureInfo.InvariantCulture) :
        v.ToString("R", CultureInfo.InvariantCulture);

    private static double Exponential(Rng rng) => -Math.Log(1.0 - rng.NextDouble());

    private static int CheckShape(int[] shape)
    {
        if (shape.Length == 0)
            throw new ArgumentException("shape must have at least one dimension.", nameof(shape));
        long size = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] <= 0)
                throw new ArgumentException($"shape[{i}] = {shape[i]} must be positive.", nameof(shape));
            size *= shape[i];
            if (size > Array.MaxLength)
                throw new ArgumentException("shape is too large.", nameof(shape));
        }
        return (int)size;
    }

    private static float[] Fill(float value, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Enumerable.Repeat(value, (int)CheckShape(shape)).ToArray();
    }
}
