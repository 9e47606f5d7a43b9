using System.Globalization;

namespace RlExperiments.AutoRL;

/// <summary>
/// The CPU packages' cumulative energy from Linux's RAPL powercap interface
/// (<c>/sys/class/powercap/intel-rapl:N/energy_uj</c>), with wrap-around handled via <c>max_energy_range_uj</c>.
/// </summary>
internal sealed class EnergyCounter
{
    /// <summary>Where the counters live.</summary>
    public const string Root = "/sys/class/powercap";

    private readonly (string Path, long Range)[] _domains;

    private EnergyCounter((string, long)[] domains) => _domains = domains;

    /// <summary>The machine's package counters, or null (with the reason) when none is readable.</summary>
    public static EnergyCounter? TryOpen(out string reason)
    {
        reason = "";
        if (!Directory.Exists(Root))
        {
            reason = $"{Root} does not exist (no RAPL energy counter: not Linux, a VM or container without powercap, or a non-Intel/AMD CPU)";
            return null;
        }
        var domains = new List<(string, long)>();
        foreach (var dir in Directory.EnumerateDirectories(Root, "intel-rapl:*"))
        {
            if (Path.GetFileName(dir).Count(c => c == ':') != 1) continue; // packages only, not their sub-domains
            var energy = Path.Combine(dir, "energy_uj");
            try
            {
                _ = File.ReadAllText(energy);
                var range = long.Parse(File.ReadAllText(Path.Combine(dir, "max_energy_range_uj")).Trim(), CultureInfo.InvariantCulture);
                domains.Add((energy, range));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                reason = $"{energy} is not readable ({e.Message}); reading RAPL usually needs root";
            }
        }
        if (domains.Count == 0)
        {
            if (reason.Length == 0) reason = $"{Root} has no intel-rapl package domain";
            return null;
        }
        return new EnergyCounter(domains.ToArray());
    }

    /// <summary>The counters now, one per package (µJ).</summary>
    public long[] Read() => _domains.Select(d => long.Parse(File.ReadAllText(d.Path).Trim(), CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Joules used between two readings.</summary>
    public double JoulesBetween(long[] start, long[] end)
    {
        double total = 0;
        for (var i = 0; i < _domains.Length; i++)
        {
            var delta = end[i] - start[i];
            if (delta < 0) delta += _domains[i].Range;
            total += delta;
        }
        return total * 1e-6;
    }
}
