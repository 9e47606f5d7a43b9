using RlExperiments.Core;
using RlExperiments.Tuning;

namespace RlExperiments.Samplers.Benchmarks;

/// <summary>One benchmark objective: its space, the value the sampler sees and the noise-free value we score.</summary>
internal sealed record Objective(string Name, ConfigurationSpace Space, Func<Configuration, Rng, double> Observed, Func<Configuration, double> True);

/// <summary>
/// The suite, written line by line as in benchmarks/samplers_optuna_reference.py (same names, bounds, constants), all minimised:
/// Branin, Hartmann-6, a 5-D quadratic whose centre and offset a categorical switches, Rosenbrock-4 with two integer
/// dimensions, an RL-shaped regret over log learning rate, γ, a categorical batch size and an integer depth (noise-free
/// and with N(0, 0.05²) observation noise), and a YAHPO-lcbench-like MLP validation-error surrogate.
/// </summary>
internal static class Objectives
{
    public static readonly IReadOnlyList<Objective> All = new[]
    {
        Exact("branin", new ConfigurationSpace("branin").Add(new FloatHyperparameter("x1", -5, 10), new FloatHyperparameter("x2", 0, 15)), Branin),
        Exact("hartmann6", Box("hartmann6", 6, 0, 1), Hartmann6),
        Exact("quadratic_switch", Box("quadratic_switch", 5, -5, 5).Add(new CategoricalHyperparameter("mode", new object[] { "a", "b", "c" })), QuadraticSwitch),
        Exact("rosenbrock4_int", new ConfigurationSpace("rosenbrock4_int").Add(new FloatHyperparameter("x0", -2, 2), new FloatHyperparameter("x1", -2, 2),
            new IntegerHyperparameter("x2", -3, 3), new IntegerHyperparameter("x3", -3, 3)), RosenbrockInt),
        Exact("rl", RlSpace(), Rl),
        new Objective("rl_noisy", RlSpace(), (c, rng) => Rl(c) + RlNoise * rng.Normal(), Rl),
        Exact("mlp", new ConfigurationSpace("mlp").Add(new FloatHyperparameter("lr", 1e-5, 1.0, log: true),
            new FloatHyperparameter("weight_decay", 1e-6, 1e-1, log: true), new IntegerHyperparameter("width", 16, 1024, log: true),
            new FloatHyperparameter("dropout", 0, 0.8), new CategoricalHyperparameter("optimizer", new object[] { "adam", "sgd" })), Mlp),
    };

    private const double RlNoise = 0.05;

    private static Objective Exact(string name, ConfigurationSpace space, Func<Configuration, double> f) => new(name, space, (c, _) => f(c), f);

    private static ConfigurationSpace Box(string name, int n, double lo, double hi)
    {
        var space = new ConfigurationSpace(name);
        for (int i = 0; i < n; i++) space.Add(new FloatHyperparameter($"x{i}", lo, hi));
        return space;
    }

    private static double Sq(double v) => v * v;

    private static double Branin(Configuration c)
    {
        double x1 = c.GetDouble("x1"), x2 = c.GetDouble("x2");
        double a = 1, b = 5.1 / (4 * Math.PI * Math.PI), cc = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
        return a * Sq(x2 - b * x1 * x1 + cc * x1 - r) + s * (1 - t) * Math.Cos(x1) + s;
    }

    private static readonly double[,] H6A = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    private static readonly double[,] H6P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };
    private static readonly double[] H6Alpha = { 1.0, 1.2, 3.0, 3.2 };

    private static double Hartmann6(Configuration c)
    {
        double total = 0;
        for (int i = 0; i < 4; i++)
        {
            double inner = 0;
            for (int j = 0; j < 6; j++) inner += H6A[i, j] * Sq(c.GetDouble($"x{j}") - H6P[i, j]);
            total += H6Alpha[i] * Math.Exp(-inner);
        }
        return -total;
    }

    private static readonly Dictionary<string, double[]> QuadCenter = new()
    {
        ["a"] = new[] { 1.0, -2.0, 0.5, 3.0, -1.0 }, ["b"] = new[] { -1.0, 2.0, -0.5, -3.0, 1.0 }, ["c"] = new[] { 0.0, 0.0, 0.0, 0.0, 0.0 },
    };
    private static readonly Dictionary<string, double> QuadOffset = new() { ["a"] = 0.0, ["b"] = 0.5, ["c"] = 2.0 };

    private static double QuadraticSwitch(Configuration c)
    {
        string mode = c.GetString("mode");
        var center = QuadCenter[mode];
        double f = 0;
        for (int i = 0; i < 5; i++) f += Sq(c.GetDouble($"x{i}") - center[i]);
        return f + QuadOffset[mode];
    }

    private static double RosenbrockInt(Configuration c)
    {
        double[] x = { c.GetDouble("x0"), c.GetDouble("x1"), c.GetLong("x2"), c.GetLong("x3") };
        double f = 0;
        for (int i = 0; i < 3; i++) f += 100 * Sq(x[i + 1] - x[i] * x[i]) + Sq(1 - x[i]);
        return f;
    }

    private static ConfigurationSpace RlSpace() => new ConfigurationSpace("rl").Add(
        new FloatHyperparameter("lr", 1e-5, 1e-1, log: true), new FloatHyperparameter("gamma", 0.9, 0.9999),
        new CategoricalHyperparameter("batch_size", new object[] { 32L, 64L, 128L, 256L }), new IntegerHyperparameter("depth", 1, 4));

    private static readonly Dictionary<long, double> RlBatchFactor = new() { [32] = 0.85, [64] = 1.0, [128] = 0.95, [256] = 0.8 };

    /// <summary>
    /// Regret of an RL-shaped learning-curve end point: the best log10 learning rate grows with the batch size, the
    /// return peaks at γ = 0.99 (in log(1 − γ)), depth 2 is best and deeper nets learn slower.
    /// </summary>
    private static double Rl(Configuration c)
    {
        double lr = c.GetDouble("lr"), gamma = c.GetDouble("gamma");
        long batch = c.GetLong("batch_size"), depth = c.GetLong("depth");
        double bestLogLr = -3.5 + 0.5 * Math.Log2(batch / 64.0);
        double qLr = Math.Exp(-0.5 * Sq((Math.Log10(lr) - bestLogLr) / 0.5));
        double qGamma = Math.Exp(-0.5 * Sq((Math.Log(1 - gamma) - Math.Log(0.01)) / 0.8));
        double qDepth = 1 - 0.1 * Math.Abs(depth - 2);
        return 1 - qLr * qGamma * qDepth * RlBatchFactor[batch];
    }

    /// <summary>
    /// Validation-error surrogate of a small MLP (YAHPO lcbench-like): log-quadratic bowls in lr and weight decay whose
    /// best lr depends on the optimizer, a log-width optimum at 256, a dropout optimum at 0.2, sgd 0.03 worse.
    /// </summary>
    private static double Mlp(Configuration c)
    {
        string optimizer = c.GetString("optimizer");
        double bestLogLr = optimizer == "adam" ? -3.0 : -1.5;
        double err = 0.1 + 0.04 * Sq(Math.Log10(c.GetDouble("lr")) - bestLogLr) + 0.02 * Sq(Math.Log10(c.GetDouble("weight_decay")) + 4.0);
        err += 0.01 * Sq(Math.Log2(c.GetLong("width")) - 8.0) + 0.5 * Sq(c.GetDouble("dropout") - 0.2) + (optimizer == "adam" ? 0.0 : 0.03);
        return err;
    }
}
