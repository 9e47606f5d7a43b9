using System.Globalization;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Tensors.Optim;

/// <summary>
/// Base of the gradient-descent optimisers. Each follows PyTorch's documented update rule exactly, so
/// hyperparameters tuned for PyTorch carry over. Per-parameter buffers are allocated once; <see cref="Step"/>
/// allocates nothing.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The parameters updated, in order.</summary>
    protected Tensor[] Params { get; }

    /// <summary>Creates an optimiser over <paramref name="parameters"/> with learning rate <paramref name="learningRate"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        Params = parameters.ToArray();
        if (Params.Length == 0)
            throw new ArgumentException("The optimiser was given no parameters.", nameof(parameters));
        for (var i = 0; i < Params.Length; i++)
            if (!Params[i].RequiresGrad)
                throw new ArgumentException($"Parameter {i} ({Params[i].ShapeString}) does not require grad.", nameof(parameters));
        LearningRate = learningRate;
    }

    /// <summary>The learning rate used by the next <see cref="Step"/> (LR schedulers set it).</summary>
    public double LearningRate
    {
        get;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite number ≥ 0.");
            field = value;
        }
    }

    /// <summary>How many updates have been applied.</summary>
    public long StepCount { get; protected set; }

    /// <summary>The parameters this optimiser updates.</summary>
    public IReadOnlyList<Tensor> Parameters => Params;

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Params) p.ZeroGrad();
    }

    /// <summary>Applies one update from the parameters' current gradients. Parameters without a gradient are skipped.</summary>
    public abstract void Step();

    /// <summary>Names of the per-parameter buffers, e.g. <c>exp_avg</c>; each is saved as <c>name.i</c>.</summary>
    protected abstract IReadOnlyList<string> BufferNames { get; }

    /// <summary>The buffer <paramref name="name"/> of parameter <paramref name="index"/>, or null before it exists.</summary>
    protected abstract float[]? Buffer(string name, int index);

    /// <summary>Creates (zeroed) the buffer <paramref name="name"/> of parameter <paramref name="index"/> and returns it.</summary>
    protected abstract float[] CreateBuffer(string name, int index);

    /// <summary>
    /// The optimiser's complete state (step count, learning rate, every buffer), e.g. for a checkpoint.
    /// Buffers are copies.
    /// </summary>
    public OptimizerState GetState()
    {
        var buffers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < Params.Length; i++)
            foreach (var name in BufferNames)
                if (Buffer(name, i) is { } b)
                    buffers[$"{name}.{i.ToString(CultureInfo.InvariantCulture)}"] = Tensor.From(b, Params[i].Shape);
        return new OptimizerState(GetType().Name, StepCount, LearningRate, buffers);
    }

    /// <summary>Restores a state taken with <see cref="GetState"/>; names, shapes and the optimiser type are checked first.</summary>
    public void LoadState(OptimizerState state)
    {
        if (state.Optimizer != GetType().Name)
            throw new InvalidDataException($"Optimizer state was saved by {state.Optimizer}, not {GetType().Name}.");
        foreach (var (key, t) in state.Buffers)
        {
            var dot = key.LastIndexOf('.');
            if (dot < 0 || !int.TryParse(key.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= Params.Length || !BufferNames.Contains(key[..dot]))
                throw new InvalidDataException($"Optimizer state has an unknown buffer '{key}' (expected <{string.Join("|", BufferNames)}>.<0..{Params.Length - 1}>).");
            if (!t.Shape.SequenceEqual(Params[i].Shape))
                throw new InvalidDataException($"Optimizer state buffer '{key}' has shape {t.ShapeString} but parameter {i} is {Params[i].ShapeString}.");
        }
        StepCount = state.StepCount;
        LearningRate = state.LearningRate;
        foreach (var (key, t) in state.Buffers)
        {
            var dot = key.LastIndexOf('.');
            var i = int.Parse(key.AsSpan(dot + 1), CultureInfo.InvariantCulture);
            t.Data.CopyTo(CreateBuffer(key[..dot], i));
        }
    }

    /// <summary>The gradient of parameter <paramref name="i"/>, or an empty span when it has none.</summary>
    protected Span<float> GradOf(int i) => Params[i].Grad is { } g ? g.Data : default;
}

/// <summary>A snapshot of an optimiser: its type name, step count, learning rate and per-parameter buffers.</summary>
public sealed record OptimizerState(string Optimizer, long StepCount, double LearningRate, IReadOnlyDictionary<string, Tensor> Buffers)
{
    /// <summary>Writes the state as a safetensors file (buffers as tensors; type, step and learning rate as metadata), atomically.</summary>
    public void Save(string path) =>
        SafeTensors.Save(path, Buffers, new Dictionary<string, string>
        {
            ["optimizer"] = Optimizer,
            ["step"] = StepCount.ToString(CultureInfo.InvariantCulture),
            ["lr"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
        });

    /// <summary>Reads a state written by <see cref="Save"/>; a file without the optimiser metadata is a clear error.</summary>
    public static OptimizerState Load(string path)
    {
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue("optimizer", out var name)
            || !file.Metadata.TryGetValue("step", out var step) || !long.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var stepCount)
            || !file.Metadata.TryGetValue("lr", out var lr) || !double.TryParse(lr, NumberStyles.Float, CultureInfo.InvariantCulture, out var learningRate))
            throw new InvalidDataException($"{path} is not an optimizer state: its metadata lacks a valid 'optimizer', 'step' or 'lr' entry.");
        return new OptimizerState(name, stepCount, learningRate, file.Tensors);
    }
}
