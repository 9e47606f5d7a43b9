using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Experiments.Tests.Modules;

/// <summary>Checks every algorithm module's experiment tests share: a run crashed while checkpointing resumes to the uninterrupted run.</summary>
internal static class ModuleRunChecks
{
    /// <summary>progress.csv without the wall-clock column.</summary>
    public static List<string> ProgressRows(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, CsvWriter.DefaultFileName));
        var skip = Array.IndexOf(lines[0].Split(','), "train/steps_per_second");
        return lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != skip))).ToList();
    }

    public static void ResumedEqualsStraight(TempDir dir, Func<string, Experiments.Experiment> make)
    {
        using (make("straight").Run()) { }
        var crashed = 0;
        RunCheckpoints.BeforeCommit.Value = _ =>
        {
            if (++crashed == 3) throw new InvalidOperationException("simulated crash while checkpointing");
        };
        try { Assert.Throws<InvalidOperationException>(() => make("crashed").Run()); }
        finally { RunCheckpoints.BeforeCommit.Value = null; }
        var crashedDir = dir.Combine("crashed");
        using (Experiments.Experiment.FromDirectory(crashedDir, restorePolicy: false, services: Tiny.Services).Resume()) { }
        Assert.Equal(ProgressRows(dir.Combine("straight")), ProgressRows(crashedDir));
        var a = SafeTensors.Load(Path.Combine(dir.Combine("straight"), "policy_final.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(crashedDir, "policy_final.safetensors")).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.Equal(a[key].ToArray(), b[key].ToArray());
    }
}
