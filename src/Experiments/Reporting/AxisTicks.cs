using System.Globalization;

namespace RlExperiments.Experiments.Reporting;

/// <summary>"Nice" axis ticks (steps of 1, 2 or 5 × 10^k) and their labels (1k, 10k, 1.5M for large values).</summary>
public static class AxisTicks
{
    /// <summary>The tick step for about <paramref name="targetCount"/> ticks over [min, max]: 1, 2 or 5 times a power of ten.</summary>
    public static double Step(double min, double max, int targetCount = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"The axis range must be finite; got [{min}, {max}].");
        var span = Math.Abs(max - min);
        if (span == 0)
            span = Math.Abs(max) > 0 ? Math.Abs(max) : 1;
        var raw = span / Math.Max(1, targetCount);
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var error = raw / power;
        var factor = error >= Math.Sqrt(50) ? 10 : error >= Math.Sqrt(10) ? 5 : error >= Math.Sqrt(2) ? 2 : 1;
        return factor * power;
    }

    /// <summary>The multiples of <see cref="Step"/> that lie in [min, max].</summary>
    public static double[] Ticks(double min, double max, int targetCount = 6)
    {
        if (max < min)
            (min, max) = (max, min);
        var step = Step(min, max, targetCount);
        var first = Math.Ceiling(min / step - 1e-9);
        var last = Math.Floor(max / step + 1e-9);
        var ticks = new List<double>();
        for (var i = first; i <= last; i++)
            ticks.Add(Clean(i * step));
        return ticks.ToArray();
    }

    /// <summary>[min, max] widened outwards to multiples of the tick step.</summary>
    public static (double Min, double Max) NiceRange(double min, double max, int targetCount = 6)
    {
        if (max < min)
            (min, max) = (max, min);
        if (min == max)
        {
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }
        var step = Step(min, max, targetCount);
        return (Clean(Math.Floor(min / step + 1e-9) * step), Clean(Math.Ceiling(max / step - 1e-9) * step));
    }

    /// <summary>
    /// A tick label: values of 1000 or more (in magnitude) with SI suffixes (k, M, G) and as many decimals as the step needs
    /// (2.5k, 10k, 1.5M); smaller values with the decimals the step needs (0.25, 0.5); a true minus sign for negatives.
    /// </summary>
    public static string Format(double value, double step)
    {
        if (value == 0)
            return "0";
        var magnitude = Math.Abs(value);
        var (unit, suffix) = magnitude >= 1e9 ? (1e9, "G") : magnitude >= 1e6 ? (1e6, "M") : magnitude >= 1e3 ? (1e3, "k") : (1.0, "");
        var scaledStep = Math.Abs(step) / unit;
        var decimals = scaledStep >= 1 || scaledStep == 0 ? 0 : Math.Min(6, (int)Math.Ceiling(-Math.Log10(scaledStep) - 1e-9));
        if (scaledStep > 0 && decimals < 6 && Math.Abs(Math.Round(scaledStep, decimals) - scaledStep) > 1e-9 * scaledStep)
            decimals++; // a step like 0.25 needs two decimals
        var text = (magnitude / unit).ToString("F" + decimals, CultureInfo.InvariantCulture);
        if (text.Contains('.'))
            text = text.TrimEnd('0').TrimEnd('.');
        return (value < 0 ? "\u2212" : "") + text + suffix;
    }

    private static double Clean(double v) => Math.Abs(v) < 1e-12 ? 0 : double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
