using System.Numerics.Tensors;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Nn;

/// <summary>
/// A neural-network building block with named parameters and child modules, as PyTorch's
/// <c>nn.Module</c>: parameter names are dotted paths (<c>"0.weight"</c>), so a state dict saved
/// here loads into the same PyTorch architecture.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Parameter)> _parameters = [];
    private readonly List<(string Name, Module Child)> _children = [];
    private List<(string Name, Tensor Parameter)>? _allNamed;
    private Tensor[]? _all;
    private SoftUpdateWork? _softUpdate;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a learnable parameter (it is marked <see cref="Tensor.RequiresGrad"/>).</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        CheckName(name);
        parameter.RequiresGrad = true;
        _parameters.Add((name, parameter));
        _allNamed = null;
        _all = null;
        _softUpdate = null;
        return parameter;
    }

    /// <summary>Registers a child module whose parameters are listed under <c>name.</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        _allNamed = null;
        _all = null;
        _softUpdate = null;
        return module;
    }

    /// <summary>Every parameter, depth first, with its dotted name.</summary>
    public IReadOnlyList<(string Name, Tensor Parameter)> NamedParameters()
    {
        if (_allNamed is not null) return _allNamed;
        var list = new List<(string, Tensor)>(_parameters);
        foreach (var (childName, child) in _children)
            foreach (var (name, p) in child.NamedParameters())
                list.Add(($"{childName}.{name}", p));
        return _allNamed = list;
    }

    /// <summary>Every parameter, depth first.</summary>
    public IReadOnlyList<Tensor> Parameters() => _all ??= NamedParameters().Select(p => p.Parameter).ToArray();

    /// <summary>The number of learnable scalars.</summary>
    public int ParameterCount => Parameters().Sum(p => p.Count);

    /// <summary>
    /// Turns gradient tracking of every parameter on or off (PyTorch's <c>requires_grad_</c>). Freezing a
    /// network that a loss passes through but must not update (SAC's critics in the actor loss) skips its
    /// weight-gradient products in the backward pass; gradients still flow through it to its inputs.
    /// </summary>
    public void SetRequiresGrad(bool requiresGrad)
    {
        // An index loop: foreach over the IReadOnlyList boxes an enumerator, which only tiered PGO's escape analysis
        // removes, so with tiered compilation off (examples, benchmarks, rlx) SAC's update allocated 32 bytes per call.
        var parameters = Parameters();
        for (var i = 0; i < parameters.Count; i++) parameters[i].RequiresGrad = requiresGrad;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        var parameters = Parameters();
        for (var i = 0; i < parameters.Count; i++) parameters[i].ZeroGrad();
    }

    /// <summary>Copies <paramref name="source"/>'s parameter values into this module (a hard target-network update).</summary>
    public void CopyFrom(Module source)
    {
        var (mine, theirs) = Matched(source, nameof(CopyFrom));
        for (var i = 0; i < mine.Count; i++) theirs[i].Data.CopyTo(mine[i].Data);
    }

    /// <summary>
    /// Polyak averaging for target networks: <c>θ ← τ·θ_source + (1 − τ)·θ</c>.
    /// </summary>
    public void SoftUpdate(Module source, float tau)
    {
        if (!(tau >= 0f && tau <= 1f))
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must lie in [0, 1].");
        var (_, theirs) = Matched(source, nameof(SoftUpdate));
        // Elementwise, so split into one share of the weights per core when there are enough of them (SAC's target
        // critics), with the same bits on any number of threads.
        var work = _softUpdate ??= new SoftUpdateWork(Parameters());
        work.Source = theirs;
        work.Tau = tau;
        try
        {
            work.RunShares();
        }
        finally
        {
            work.Source = null;
        }
    }

    // θ ← θ + τ·(θ_source − θ) over one piece of this module's parameters.
    private sealed class SoftUpdateWork(IReadOnlyList<Tensor> parameters) : ElementwiseWork(parameters)
    {
        public IReadOnlyList<Tensor>? Source;
        public float Tau;

        protected override void Piece(int i, int start, int length)
        {
            var dst = Tensors[i].Data.Slice(start, length);
            TensorPrimitives.Lerp(dst, Source![i].Data.Slice(start, length), Tau, dst);
        }
    }

    /// <summary>The parameters by name (live tensors, not copies): what <see cref="Serialization.SafeTensors"/> saves.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in NamedParameters()) dict[name] = p;
        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into the parameters. Every parameter must be present
    /// with its exact shape and no extra names may appear; the first problem found is named in the error
    /// and nothing is copied unless all match.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var named = NamedParameters();
        foreach (var (name, p) in named)
        {
            if (!state.TryGetValue(name, out var t))
                throw new InvalidDataException($"State dict is missing parameter '{name}' (expected shape {p.ShapeString}).");
            if (!t.Shape.SequenceEqual(p.Shape))
                throw new InvalidDataException($"State dict parameter '{name}' has shape {t.ShapeString} but the module expects {p.ShapeString}.");
        }
        var known = new HashSet<string>(named.Select(n => n.Name), StringComparer.Ordinal);
        var extra = state.Keys.FirstOrDefault(k => !known.Contains(k));
        if (extra is not null)
            throw new InvalidDataException($"State dict has an unexpected entry '{extra}'; the module's parameters are: {string.Join(", ", known)}.");
        foreach (var (name, p) in named) state[name].Data.CopyTo(p.Data);
    }

    private (IReadOnlyList<Tensor> Mine, IReadOnlyList<Tensor> Theirs) Matched(Module source, string op)
    {
        var mine = Parameters();
        var theirs = source.Parameters();
        if (mine.Count != theirs.Count)
            throw new ArgumentException($"{op}: the source module has {theirs.Count} parameters, this one {mine.Count}.", nameof(source));
        for (var i = 0; i < mine.Count; i++)
            if (!mine[i].Shape.SequenceEqual(theirs[i].Shape))
                throw new ArgumentException($"{op}: parameter {i} ('{NamedParameters()[i].Name}') has shape {mine[i].ShapeString} here but {theirs[i].ShapeString} in the source.", nameof(source));
        return (mine, theirs);
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"Module member names must be non-empty and contain no '.'; got '{name}'.", nameof(name));
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"A member named '{name}' is already registered.", nameof(name));
    }
}
