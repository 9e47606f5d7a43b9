using System.CommandLine;
using RlExperiments.Evaluation.Reporting;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Collections;
using RlExperiments.Tuning;
using RlExperiments.Tuning.Reporting;

namespace RlExperiments.Cli;

/// <summary><c>rlx report DIR</c>: the HTML report of a run, a collection or a study (its directory, or its storage with --storage and --study).</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var dir = new Argument<string>("dir") { Description = "A run directory (experiment.json), a collection directory (collection.json) or a study directory (study.db, or with --study)." };
        var storage = new Option<string?>("--storage") { Description = "The study's storage URL when it is not the directory's study.db (default $RLX_STORAGE)." };
        var study = new Option<string?>("--study") { Description = "Report this study of the storage, writing into DIR." };
        var command = new Command("report", "Write DIR/report.html for a run, a collection or a study.") { dir, storage, study };
        command.SetAction(p =>
        {
            var directory = Path.GetFullPath(p.GetValue(dir)!);
            var html = Path.Combine(directory, "report.html");
            if (p.GetValue(study) is { } name)
            {
                Directory.CreateDirectory(directory);
                var (url, _) = CliInputs.Storage(p.GetValue(storage), Path.Combine(directory, SqliteStudyStorage.FileName));
                using var s = url.Open(name);
                var info = s.GetStudy() ?? throw new CliException($"{url} holds no study '{name}'.", ExitCodes.StorageUnavailable);
                var result = new StudyResult(directory, info, s.GetTrials());
                StudyFiles.Write(result);
                StudyReportWriter.Write(result, html);
            }
            else if (Study.Exists(directory)) StudyReportWriter.Write(Study.Load(directory), html);
            else if (File.Exists(Path.Combine(directory, ExperimentCollection.ManifestFileName))) ExperimentCollection.FromDirectory(directory).WriteReport(html);
            else if (File.Exists(Path.Combine(directory, Experiment.ResultFileName))) RunReport(directory, html);
            else
                throw new CliException($"'{directory}' is not a run (no {Experiment.ResultFileName}), a collection (no {ExperimentCollection.ManifestFileName}) "
                    + $"or a study (no {SqliteStudyStorage.FileName}; for a study in a server pass --storage URL --study NAME).");
            output.WriteLine($"Wrote {html}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A one-run report: its learning curve and final test return.</summary>
    private static void RunReport(string directory, string html)
    {
        var summary = ExperimentServices.Default.Json.ReadFile<RunSummary>(Path.Combine(directory, Experiment.ResultFileName));
        var data = new ReportData
        {
            Title = $"{summary.Algorithm} on {summary.EnvId}, seed {summary.Seed} ({Path.GetFileName(directory)})",
            Groups = [new ReportGroup(summary.Algorithm, [new ReportRun(summary.Seed, RunData.LearningCurve(directory), summary.LastTestReturn)])],
        };
        new ReportWriter().Write(data, html);
    }
}
