using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Environments.Benchmarks;

/// <summary>
/// One benchmark case: a single environment or a vector env stepped with pregenerated random actions
/// (4096 per slot, cycled), resetting on episode end. Shared by the BenchmarkDotNet classes and --quick.
/// </summary>
public sealed class StepCase : IDisposable
{
    private const int ActionCount = 4096;
    private readonly Env? _env;
    private readonly VectorEnv? _vec;
    private readonly float[] _obs = [];
    private readonly int[] _discrete = [];
    private readonly float[] _continuous = [];
    private readonly int _actionSize;
    private int _cursor;

    private StepCase(string name, Env? env, VectorEnv? vec)
    {
        Name = name;
        _env = env;
        _vec = vec;
        var rng = new Rng(12345);
        var slots = vec?.NumEnvs ?? 1;
        var actionSpace = env?.ActionSpace ?? vec!.SingleActionSpace;
        _actionSize = actionSpace.FlatSize;
        if (actionSpace is Discrete d)
        {
            _discrete = new int[ActionCount * slots];
            for (var i = 0; i < _discrete.Length; i++) _discrete[i] = d.Sample(rng);
        }
        else
        {
            var box = (Box)actionSpace;
            _continuous = new float[ActionCount * slots * _actionSize];
            for (var i = 0; i < ActionCount * slots; i++) box.Sample(rng, _continuous.AsSpan(i * _actionSize, _actionSize));
        }
        EnvStepsPerIteration = slots;
        if (env is not null)
        {
            _obs = new float[env.ObservationSize];
            env.Reset(_obs, seed: 0);
        }
        else
            vec!.Reset(seed: 0);
    }

    /// <summary>The case name printed in results.</summary>
    public string Name { get; }

    /// <summary>Environment steps per iteration (N for a vector env).</summary>
    public int EnvStepsPerIteration { get; }

    /// <summary>A single environment made by the registry (TimeLimit included).</summary>
    public static StepCase Single(string id) => new(id + "/single", new EnvRegistry().Make(id), null);

    /// <summary>A vector of <paramref name="n"/> registry-made environments.</summary>
    public static StepCase Vector(string id, int n, VectorMode mode) =>
        new($"{id}/vec{n}-{mode.ToString().ToLowerInvariant()}", null, new EnvRegistry().MakeVec(id, n, mode));

    /// <summary>A vector of <paramref name="n"/> <see cref="BusyEnv"/>s each costing <paramref name="microseconds"/> per step.</summary>
    public static StepCase Busy(double microseconds, int n, VectorMode mode)
    {
        var envs = Enumerable.Range(0, n).Select(_ => (Env)new BusyEnv(microseconds)).ToArray();
        VectorEnv vec = mode == VectorMode.Parallel ? new ParallelVectorEnv(envs) : new SequentialVectorEnv(envs);
        return new($"Busy{microseconds}us/vec{n}-{mode.ToString().ToLowerInvariant()}", null, vec);
    }

    /// <summary>Performs <paramref name="iterations"/> steps (vector steps for a vector env).</summary>
    public void Iterate(int iterations)
    {
        if (_env is { } env)
        {
            var obs = _obs;
            if (_discrete.Length > 0)
            {
                for (var i = 0; i < iterations; i++)
                {
                    var r = env.Step(_discrete[_cursor++ & (ActionCount - 1)], obs);
                    if (r.Terminated || r.Truncated) env.Reset(obs);
                }
            }
            else
            {
                for (var i = 0; i < iterations; i++)
                {
                    var k = _cursor++ & (ActionCount - 1);
                    var r = env.Step(new ReadOnlySpan<float>(_continuous, k * _actionSize, _actionSize), obs);
                    if (r.Terminated || r.Truncated) env.Reset(obs);
                }
            }
        }
        else
        {
            var vec = _vec!;
            var n = vec.NumEnvs;
            for (var i = 0; i < iterations; i++)
            {
                var k = _cursor++ & (ActionCount - 1);
                if (_discrete.Length > 0)
                    vec.Step(new ReadOnlySpan<int>(_discrete, k * n, n));
                else
                    vec.Step(new ReadOnlySpan<float>(_continuous, k * n * _actionSize, n * _actionSize));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _env?.Dispose();
        _vec?.Dispose();
    }
}
