using System.Globalization;
using RlExperiments.Tuning;

namespace RlExperiments.Cli;

/// <summary>
/// What <c>rlx tune</c> records in a study's user attributes so that <c>rlx worker --study NAME</c>, on any machine,
/// runs the same trials: algorithm, environment, steps per trial, sampler, pruner, seeds per trial, NTrials and seed.
/// </summary>
internal sealed record StudySpec(string Algo, string Env, long? Steps, string Sampler, string Pruner, int Seeds, int Trials, int Seed)
{
    private const string Prefix = "rlx.";

    public void Save(IStudyStorage storage)
    {
        foreach (var (k, v) in Pairs()) storage.SetUserAttribute(Prefix + k, v);
    }

    private IEnumerable<(string, string)> Pairs()
    {
        yield return ("algo", Algo);
        yield return ("env", Env);
        yield return ("steps", Steps?.ToString(CultureInfo.InvariantCulture) ?? "");
        yield return ("sampler", Sampler);
        yield return ("pruner", Pruner);
        yield return ("seeds", Seeds.ToString(CultureInfo.InvariantCulture));
        yield return ("trials", Trials.ToString(CultureInfo.InvariantCulture));
        yield return ("seed", Seed.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The spec stored in a study, or null when the study was not created by <c>rlx tune</c>.</summary>
    public static StudySpec? Load(IStudyStorage storage)
    {
        var a = storage.GetUserAttributes();
        string? Get(string k) => a.TryGetValue(Prefix + k, out var v) ? v : null;
        if (Get("algo") is not { } algo || Get("env") is not { } env) return null;
        int Int(string k) => int.Parse(Get(k) ?? "0", CultureInfo.InvariantCulture);
        var steps = Get("steps");
        return new StudySpec(algo, env, string.IsNullOrEmpty(steps) ? null : long.Parse(steps, CultureInfo.InvariantCulture),
            Get("sampler") ?? "tpe", Get("pruner") ?? "halving", Int("seeds"), Int("trials"), Int("seed"));
    }

    public SamplerKind SamplerKind => Sampler switch
    {
        "tpe" => SamplerKind.Tpe,
        "random" => SamplerKind.Random,
        "grid" => SamplerKind.Grid,
        "cmaes" => SamplerKind.CmaEs,
        _ => throw new CliException($"--sampler '{Sampler}' is invalid; allowed: tpe, random, grid, cmaes."),
    };

    public IPruner CreatePruner(long totalSteps) => Pruner switch
    {
        "halving" => new SuccessiveHalvingPruner(minResource: Math.Max(1, totalSteps / 9), reductionFactor: 3),
        "none" => new NopPruner(),
        _ => throw new CliException($"--pruner '{Pruner}' is invalid; allowed: halving, none."),
    };
}
