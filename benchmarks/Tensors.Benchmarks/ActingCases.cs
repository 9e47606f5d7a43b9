using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// Acting with a 4-64-64-2 ReLU Q-network (DQN on CartPole): forward pass plus argmax for one observation and for 8,
/// through the module path the agents used (scope, NoGrad, tensor, Forward) and through a compiled
/// <see cref="InferencePlan"/>. Names pair with benchmarks/torch_acting_reference.py.
/// </summary>
public sealed class ActingCases
{
    private readonly Mlp _q = new(4, [64, 64], 2, Activation.ReLU, new Rng(0));
    private readonly InferencePlan _plan;
    private readonly float[] _one = [0.01f, -0.2f, 0.03f, 0.3f];
    private readonly float[] _eight;
    private readonly int[] _actions = new int[8];
    private int _sink;

    public ActingCases()
    {
        _plan = new InferencePlan(_q, maxBatch: 8);
        _eight = Tensor.Randn([8, 4], new Rng(1)).ToArray();
    }

    /// <summary>The module path, as DqnAgent.Act wrote it.</summary>
    public void ModuleBatch1()
    {
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var q = _q.Forward(Tensor.From(_one, [1, 4])).Data;
        _sink += q[1] > q[0] ? 1 : 0;
    }

    public void PlanBatch1() => _sink += _plan.Argmax(_one);

    private readonly float[] _w = new float[64 * 64], _x = new float[64], _y = new float[64], _b = new float[64];

    public unsafe void MatVec64()
    {
        fixed (float* w = _w, x = _x, y = _y, b = _b) Kernels.MatVec.Multiply(w, 64, 64, x, b, y);
    }

    public unsafe void MatVec4()
    {
        fixed (float* w = _w, x = _x, y = _y, b = _b) Kernels.MatVec.Multiply(w, 64, 4, x, b, y);
    }

    public void PlanBatch8() => _plan.Argmax(_eight, _actions);

    /// <summary>The quick-harness cases.</summary>
    public static IEnumerable<QuickCase> QuickCases()
    {
        var cases = new ActingCases();
        yield return new QuickCase("act_mlp64_module", cases.ModuleBatch1, Reps: 2000);
        yield return new QuickCase("act_mlp64", cases.PlanBatch1, Reps: 2000);
        yield return new QuickCase("act_mlp64_batch8", cases.PlanBatch8, Reps: 2000);
        yield return new QuickCase("matvec_64x64", cases.MatVec64, Reps: 2000);
        yield return new QuickCase("matvec_64x4", cases.MatVec4, Reps: 2000);
    }
}
