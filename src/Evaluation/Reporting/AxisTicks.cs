using System.Globalization;

namespace RlExperiments.Evaluation.Reporting;

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

    /// <summary>
    /// Ticks for a logarithmic axis over [min, max] (both &gt; 0): the powers of ten inside it (every k-th when there are many
    /// decades), with 2 and 5 times them added when fewer than about <paramref name="targetCount"/>/2 fit; within a single
    /// decade, linear nice ticks.
    /// </summary>
    public static double[] LogTicks(double min, double max, int targetCount = 6)
    {
        if (!(min > 0) || !(max > 0) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"A log axis needs a finite positive range; got [{min}, {max}].");
        if (max < min)
            (min, max) = (max, min);
        int lo = (int)Math.Ceiling(Math.Log10(min) - 1e-9), hi = (int)Math.Floor(Math.Log10(max) + 1e-9);
        var decades = hi - lo + 1;
        var ticks = new List<double>();
        if (decades >= Math.Max(2, targetCount / 2))
        {
            var every = Math.Max(1, (int)Math.Ceiling(decades / (double)Math.Max(1, targetCount)));
            for (var k = lo; k <= hi; k++)
                if ((k - lo) % every == 0)
                    ticks.Add(Clean(Math.Pow(10, k)));
            return ticks.ToArray();
        }
        if (decades >= 1)
        {
            for (var k = lo - 1; k <= hi; k++)
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                var v = Clean(m * Math.Pow(10, k));
                if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9))
                    ticks.Add(v);
            }
            if (ticks.Count >= 2)
                return ticks.ToArray();
        }
        return Ticks(min, max, Math.Max(2, targetCount / 2)).Where(t => t > 0).ToArray();
    }

    /// <summary>A log-axis tick label: plain decimals from 0.001 to below 10,000 (0.01, 0.5, 20), SI suffixes above (10k, 1M), 1e−5 below.</summary>
    public static string FormatLog(double value)
    {
        if (value <= 0 || !double.IsFinite(value))
            return Format(value, Math.Abs(value));
        if (value < 1e-3)
        {
            var exponent = (int)Math.Floor(Math.Log10(value) + 1e-9);
            var mantissa = value / Math.Pow(10, exponent);
            var m = Math.Round(mantissa, 2).ToString("0.##", CultureInfo.InvariantCulture);
            return m + "e\u2212" + (-exponent).ToString(CultureInfo.InvariantCulture);
        }
        var decimals = value >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(value) - 1e-9) + 1;
        var step = value >= 1e3 ? value : Math.Pow(10, -decimals);
        return Format(value, step);
    }

    private static double Clean(double v) => Math.Abs(v) < 1e-12 ? 0 : double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
