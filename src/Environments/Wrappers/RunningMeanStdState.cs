namespace RlExperiments.Environments.Wrappers;

/// <summary>A snapshot of a <see cref="RunningMeanStd"/>, for checkpoints (plain arrays, JSON-friendly).</summary>
/// <param name="Mean">Per-element running mean.</param>
/// <param name="Var">Per-element running (population) variance.</param>
/// <param name="Count">The (fractional) number of samples seen, starting at epsilon.</param>
public sealed record RunningMeanStdState(double[] Mean, double[] Var, double Count);

/// <summary>Binary checkpoint form of a <see cref="RunningMeanStd"/>'s statistics.</summary>
internal static class RmsState
{
    public static void Write(BinaryWriter writer, RunningMeanStd rms)
    {
        var s = rms.GetState();
        writer.Write(s.Mean.Length);
        foreach (var m in s.Mean) writer.Write(m);
        foreach (var v in s.Var) writer.Write(v);
        writer.Write(s.Count);
    }

    public static void Read(BinaryReader reader, RunningMeanStd rms)
    {
        var n = reader.ReadInt32();
        var mean = new double[n];
        var var = new double[n];
        for (var i = 0; i < n; i++) mean[i] = reader.ReadDouble();
        for (var i = 0; i < n; i++) var[i] = reader.ReadDouble();
        rms.SetState(new RunningMeanStdState(mean, var, reader.ReadDouble()));
    }
}
