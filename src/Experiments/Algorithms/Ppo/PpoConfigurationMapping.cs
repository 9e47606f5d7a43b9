using RlExperiments.Agents.Algorithms.Ppo;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ppo;

/// <summary>
/// Turns configurations of ARLBench's PPO spaces (<see cref="PpoModule.SearchSpace"/>)
/// into <see cref="PpoParams"/> and back.
/// </summary>
/// <remarks>
/// <para>Mapping (hyperparameter → field): <c>minibatch_size</c> → <see cref="PpoParams.BatchSize"/>,
/// <c>learning_rate</c> → <see cref="PpoParams.LearningRate"/>, <c>n_steps</c> → <see cref="PpoParams.NumSteps"/>,
/// <c>update_epochs</c> → <see cref="PpoParams.UpdateEpochs"/>, <c>gamma</c>, <c>gae_lambda</c>,
/// <c>clip_eps</c> → <see cref="PpoParams.ClipRange"/>, <c>vf_clip_eps</c> → <see cref="PpoParams.ClipRangeVf"/>,
/// <c>normalize_advantage</c>, <c>ent_coef</c>, <c>vf_coef</c>, <c>max_grad_norm</c>,
/// <c>normalize_observations</c> → <see cref="PpoParams.NormalizeObservations"/>.</para>
/// <para><c>vf_clip_eps = 0</c> maps to <see cref="PpoParams.ClipRangeVf"/> = null (no value clipping), and null
/// maps back to 0. Note that ARLBench (PureJaxRL-style loss) always clips, so there 0 pins the clipped value
/// prediction to the old value; here 0 means "no value clipping" (SB3's <c>clip_range_vf=None</c>).</para>
/// <para><c>clip_eps = 0</c> and <c>max_grad_norm = 0</c> are inside ARLBench's ranges but cannot be expressed:
/// <see cref="PpoParams.ClipRange"/> and <see cref="PpoParams.MaxGradNorm"/> must be finite and &gt; 0 (there is
/// no "no clipping" value), so they throw <see cref="NotSupportedException"/> instead of silently changing meaning.</para>
/// <para>Values are not checked against ARLBench's ranges; the resulting params are validated with <see cref="PpoParams.Validate"/>.</para>
/// </remarks>
public static class PpoConfigurationMapping
{
    private const string Algo = "PPO";
    private static readonly ConfigurationSpace HpoSpace = new PpoModule().SearchSpace();

    /// <summary>
    /// Builds params from an HPO configuration : starts from
    /// <paramref name="basis"/> and overrides every field whose hyperparameter is present; absent keys keep the basis value.
    /// </summary>
    /// <param name="hpo">A full or partial configuration of <see cref="PpoModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new PpoParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="NotSupportedException"><c>clip_eps</c> = 0 or <c>max_grad_norm</c> = 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="PpoParams.Validate"/>.</exception>
    public static PpoParams ToParams(Configuration hpo, PpoParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new PpoParams();
        var c = hpo;
        if (Has(c, "minibatch_size")) p = p with { BatchSize = Int(c, "minibatch_size") };
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "n_steps")) p = p with { NumSteps = Int(c, "n_steps") };
        if (Has(c, "update_epochs")) p = p with { UpdateEpochs = Int(c, "update_epochs") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "gae_lambda")) p = p with { GaeLambda = Double(c, "gae_lambda") };
        if (Has(c, "clip_eps"))
        {
            var v = Double(c, "clip_eps");
            if (v == 0) throw Unsupported(Algo, "clip_eps", v, "> 0", "PpoParams.ClipRange must be > 0 and has no value meaning 'policy ratio clipped to exactly 1'");
            p = p with { ClipRange = v };
        }
        if (Has(c, "vf_clip_eps"))
        {
            var v = Double(c, "vf_clip_eps");
            p = p with { ClipRangeVf = v == 0 ? null : v };
        }
        if (Has(c, "normalize_advantage")) p = p with { NormalizeAdvantage = Bool(c, "normalize_advantage") };
        if (Has(c, "ent_coef")) p = p with { EntCoef = Double(c, "ent_coef") };
        if (Has(c, "vf_coef")) p = p with { VfCoef = Double(c, "vf_coef") };
        if (Has(c, "max_grad_norm"))
        {
            var v = Double(c, "max_grad_norm");
            if (v == 0) throw Unsupported(Algo, "max_grad_norm", v, "> 0", "PpoParams.MaxGradNorm must be finite and > 0 and cannot express ARLBench's clipping to norm 0 nor 'no clipping'");
            p = p with { MaxGradNorm = v };
        }
        if (Has(c, EnvironmentHyperparameters.NormalizeObservationsKey))
            p = p with { NormalizeObservations = Bool(c, EnvironmentHyperparameters.NormalizeObservationsKey) };
        p.Validate();
        return p;
    }

    /// <summary>
    /// The HPO configuration of the params, keys in <see cref="PpoModule.SearchSpace"/>'s order; <c>vf_clip_eps</c> is 0
    /// when <see cref="PpoParams.ClipRangeVf"/> is null. Values may lie outside ARLBench's ranges.
    /// </summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(PpoParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(new KeyValuePair<string, object>[]
        {
            new("minibatch_size", (long)p.BatchSize),
            new("learning_rate", p.LearningRate),
            new("n_steps", (long)p.NumSteps),
            new("update_epochs", (long)p.UpdateEpochs),
            new("gamma", p.Gamma),
            new("gae_lambda", p.GaeLambda),
            new("clip_eps", p.ClipRange),
            new("vf_clip_eps", p.ClipRangeVf ?? 0.0),
            new("normalize_advantage", p.NormalizeAdvantage),
            new("ent_coef", p.EntCoef),
            new("vf_coef", p.VfCoef),
            new("max_grad_norm", p.MaxGradNorm),
            new(EnvironmentHyperparameters.NormalizeObservationsKey, p.NormalizeObservations),
        });
    }
}
