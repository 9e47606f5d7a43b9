using System.Globalization;

namespace RlExperiments.Core;

/// <summary>
/// Lower-bound memory estimates for what an experiment allocates (networks, replay buffers, environments) and the check
/// that refuses, before anything is allocated, a configuration whose estimate exceeds the memory this process may use
/// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>): a clear error naming the field instead of an
/// <see cref="OutOfMemoryException"/> or an overflow minutes later.
/// </summary>
public static class MemoryBudget
{
    /// <summary>At most this many hidden layers per network: deeper stacks are refused whatever the memory.</summary>
    public const int MaxHiddenLayers = 1000;

    /// <summary>Float copies kept per network parameter: the weight, its gradient and Adam's two moments.</summary>
    public const int CopiesPerParameter = 4;

    /// <summary>A lower bound on one environment's memory (the env, its wrappers, its RNG; a CartPole test env measured 670 bytes).</summary>
    public const double BytesPerEnvironment = 512;

    /// <summary>At most this many environments per vector environment, whatever the memory (each one is an object stepped in turn).</summary>
    public const int MaxEnvironments = 65_536;

    /// <summary>
    /// The memory an experiment may use: the GC's <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/> (the container or
    /// machine limit), or <see cref="Limit"/> when that is set and lower.
    /// </summary>
    public static long AvailableBytes
    {
        get
        {
            var machine = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            return Limit.Value is { } limit ? Math.Min(limit, machine) : machine;
        }
    }

    /// <summary>
    /// A tighter budget than the machine's for the current flow of execution (e.g. a test that restores fuzzed files, or a
    /// service that loads untrusted experiments): an <see cref="AsyncLocal{T}"/>, so it applies to this thread and the
    /// tasks it starts. Null (the default): the machine's limit.
    /// </summary>
    public static AsyncLocal<long?> Limit { get; } = new();

    /// <summary>
    /// The demand of an MLP with <paramref name="hiddenSizes"/> between at least one input and one output: weights and
    /// biases of every layer, times <see cref="CopiesPerParameter"/>, in float32. Throws when it has more than
    /// <see cref="MaxHiddenLayers"/> layers.
    /// </summary>
    public static MemoryDemand Network(string field, IReadOnlyList<int> hiddenSizes)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (hiddenSizes.Count > MaxHiddenLayers)
            throw new ArgumentOutOfRangeException(field, hiddenSizes.Count,
                string.Create(CultureInfo.InvariantCulture, $"{field} has {hiddenSizes.Count} hidden layers; allowed: at most {MaxHiddenLayers}."));
        double parameters = 0, previous = 1;
        foreach (var width in hiddenSizes)
        {
            parameters += previous * width + width;
            previous = width;
        }
        parameters += previous + 1;
        return new MemoryDemand(field, Format(hiddenSizes), parameters * 4 * CopiesPerParameter, "network weights, gradients and Adam moments");
    }

    /// <summary>
    /// The demand of a replay buffer of <paramref name="capacity"/> transitions with at least one observation and one
    /// action component: observation and next observation, action and reward (float32), terminated and truncated flags.
    /// </summary>
    public static MemoryDemand ReplayBuffer(string field, long capacity) =>
        new(field, capacity.ToString(CultureInfo.InvariantCulture), (double)capacity * (4 + 4 + 4 + 4 + 1 + 1), "replay buffer (18 bytes per transition at least)");

    /// <summary>The demand of <paramref name="count"/> environments (<see cref="BytesPerEnvironment"/> each); throws above <see cref="MaxEnvironments"/>.</summary>
    public static MemoryDemand Environments(string field, long count)
    {
        if (count > MaxEnvironments)
            throw new ArgumentOutOfRangeException(field, count,
                string.Create(CultureInfo.InvariantCulture, $"{field} = {count} is invalid (at least {FormatBytes(count * BytesPerEnvironment)} of environments); allowed: at most {MaxEnvironments} environments."));
        return new(field, count.ToString(CultureInfo.InvariantCulture), count * BytesPerEnvironment, "environments (512 bytes each at least)");
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> (its <c>ParamName</c> the largest demand's field) when the demands
    /// together exceed <paramref name="availableBytes"/> (default <see cref="AvailableBytes"/>); the message gives the
    /// estimate, the largest demand's field and value, and the memory available.
    /// </summary>
    public static void Check(IEnumerable<MemoryDemand> demands, long? availableBytes = null)
    {
        ArgumentNullException.ThrowIfNull(demands);
        var list = demands.ToList();
        if (list.Count == 0) return;
        var total = list.Sum(d => d.Bytes);
        var available = availableBytes ?? AvailableBytes;
        if (total <= available) return;
        var largest = list.MaxBy(d => d.Bytes)!;
        throw new ArgumentOutOfRangeException(largest.Field, largest.Value,
            $"{largest.Field} = {largest.Value} needs at least {FormatBytes(largest.Bytes)} for its {largest.What} " +
            $"(the experiment at least {FormatBytes(total)}), more than the {FormatBytes(available)} this process may use " +
            "(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes); allowed: a value whose estimate fits in memory.");
    }

    /// <summary>Bytes as "12.3 GB" (decimal units).</summary>
    public static string FormatBytes(double bytes) => bytes switch
    {
        >= 1e12 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:0.#} TB"),
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} bytes"),
    };

    private static string Format(IReadOnlyList<int> sizes) =>
        sizes.Count <= 8
            ? "[" + string.Join(", ", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]"
            : string.Create(CultureInfo.InvariantCulture, $"[{sizes[0]}, {sizes[1]}, … {sizes.Count} widths]");
}
