using System.Text.Json;
using RlExperiments.Agents;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Normalization;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>
/// REINFORCE with a linear softmax policy π(a|s) = softmax(W s + b) on a Discrete action space, written with plain
/// arrays on the weights of one <see cref="Linear"/> layer (so the policy file holds it). Driven by the framework's
/// on-policy trainer: returns are GAE with λ = 1 and no critic (V = 0), normalised per rollout.
/// </summary>
public sealed class LinearPgAgent : IOnPolicyAlgorithm
{
    private const string Format = "linear-pg-checkpoint/1";
    private readonly Linear _policy;
    private readonly Rng _exploration;
    private readonly int _obsSize;
    private readonly int _numActions;
    private readonly int _start;
    private readonly float[] _probs;
    private double _lastLoss;

    public LinearPgAgent(Space observationSpace, Space actionSpace, LinearPgParams parameters, int seed)
    {
        var discrete = actionSpace as Discrete ?? throw new ArgumentException($"LinearPG needs a Discrete action space; got {actionSpace}.", nameof(actionSpace));
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Params = parameters;
        _obsSize = observationSpace.FlatSize;
        _numActions = discrete.N;
        _start = discrete.Start;
        var streams = SeedStreams.FromSeed(seed);
        _exploration = streams.Exploration;
        _policy = new Linear(_obsSize, _numActions, streams.Init);
        _probs = new float[_numActions];
        Networks = new Dictionary<string, Module> { ["policy"] = _policy };
        Rollout = new OnPolicyRolloutSettings(parameters.NumSteps, parameters.Gamma, GaeLambda: 1.0);
    }

    public LinearPgParams Params { get; }

    public Space ObservationSpace { get; }

    public Space ActionSpace { get; }

    public IReadOnlyDictionary<string, Module> Networks { get; }

    public OnPolicyRolloutSettings Rollout { get; }

    public ObservationNormalizer? ObservationNormalizer => null;

    public long GradientSteps { get; private set; }

    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        for (var r = 0; r < actions.Length; r++)
            actions[r] = _start + Choose(observations.Slice(r * _obsSize, _obsSize), deterministic);
    }

    public void ActForRollout(ReadOnlySpan<float> observations, Span<float> actions, Span<float> values, Span<float> logProbs)
    {
        for (var r = 0; r < actions.Length; r++)
        {
            var a = Choose(observations.Slice(r * _obsSize, _obsSize), deterministic: false);
            actions[r] = a;
            values[r] = 0f;
            logProbs[r] = MathF.Log(_probs[a]);
        }
    }

    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values) => values.Clear();

    /// <summary>∇J ≈ mean_i Â_i ∇ log π(a_i|s_i), with ∇_W log π(a|s) = (onehot(a) − π(·|s)) sᵀ; W ← W + lr ∇J.</summary>
    public OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
    {
        var n = buffer.StepCount * buffer.NumEnvs;
        var adv = buffer.Advantages.AsSpan(0, n);
        double mean = 0, sq = 0;
        foreach (var x in adv) mean += x;
        mean /= n;
        foreach (var x in adv) sq += (x - mean) * (x - mean);
        var std = Math.Sqrt(sq / n) + 1e-8;
        var w = _policy.Weight.Data;
        var b = _policy.Bias!.Data;
        var gw = new double[w.Length];
        var gb = new double[b.Length];
        double loss = 0;
        for (var i = 0; i < n; i++)
        {
            var s = buffer.Observations.AsSpan(i * _obsSize, _obsSize);
            var a = (int)buffer.Actions[i];
            Probabilities(s);
            var advantage = (adv[i] - mean) / std;
            loss -= advantage * Math.Log(_probs[a]);
            for (var k = 0; k < _numActions; k++)
            {
                var coef = advantage * ((k == a ? 1 : 0) - _probs[k]);
                gb[k] += coef;
                for (var j = 0; j < _obsSize; j++) gw[k * _obsSize + j] += coef * s[j];
            }
        }
        double norm = 0;
        for (var k = 0; k < gw.Length; k++) { gw[k] /= n; norm += gw[k] * gw[k]; w[k] += (float)(Params.LearningRate * gw[k]); }
        for (var k = 0; k < gb.Length; k++) { gb[k] /= n; norm += gb[k] * gb[k]; b[k] += (float)(Params.LearningRate * gb[k]); }
        _lastLoss = loss / n;
        NonFiniteException.ThrowIfNonFinite("train/policy_loss", _lastLoss, context.EnvSteps, GradientSteps + 1);
        GradientSteps++;
        return new OnPolicyUpdateStats(_lastLoss, Math.Sqrt(norm), 1);
    }

    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        sink.Write("train/policy_loss", _lastLoss, envStep);
        sink.Write("train/learning_rate", Params.LearningRate, envStep);
    }

    public void SaveCheckpoint(string directory)
    {
        Directory.CreateDirectory(directory);
        var state = new State(Format, _policy.Weight.Data.ToArray(), _policy.Bias!.Data.ToArray(), _exploration.GetState(), GradientSteps, _lastLoss);
        AtomicFile.WriteAllText(Path.Combine(directory, "agent.json"), JsonSerializer.Serialize(state, new JsonSerializerOptions { IncludeFields = true }));
    }

    public void LoadCheckpoint(string directory)
    {
        var path = Path.Combine(directory, "agent.json");
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(path), new JsonSerializerOptions { IncludeFields = true })
            ?? throw new InvalidDataException($"'{path}' is empty.");
        if (state.Format != Format) throw new InvalidDataException($"'{path}' has format '{state.Format}'; expected '{Format}'.");
        state.Weight.CopyTo(_policy.Weight.Data);
        state.Bias.CopyTo(_policy.Bias!.Data);
        _exploration.SetState(state.Exploration);
        GradientSteps = state.GradientSteps;
        _lastLoss = state.LastLoss;
    }

    private int Choose(ReadOnlySpan<float> observation, bool deterministic)
    {
        Probabilities(observation);
        if (deterministic)
        {
            var best = 0;
            for (var k = 1; k < _numActions; k++) if (_probs[k] > _probs[best]) best = k;
            return best;
        }
        var u = _exploration.NextDouble();
        for (var k = 0; k < _numActions - 1; k++)
        {
            u -= _probs[k];
            if (u < 0) return k;
        }
        return _numActions - 1;
    }

    private void Probabilities(ReadOnlySpan<float> s)
    {
        var w = _policy.Weight.Data;
        var b = _policy.Bias!.Data;
        var max = float.NegativeInfinity;
        for (var k = 0; k < _numActions; k++)
        {
            var z = b[k];
            for (var j = 0; j < _obsSize; j++) z += w[k * _obsSize + j] * s[j];
            _probs[k] = z;
            max = MathF.Max(max, z);
        }
        float sum = 0;
        for (var k = 0; k < _numActions; k++) sum += _probs[k] = MathF.Exp(_probs[k] - max);
        for (var k = 0; k < _numActions; k++) _probs[k] /= sum;
    }

    private sealed record State(string Format, float[] Weight, float[] Bias, RngState Exploration, long GradientSteps, double LastLoss);
}
