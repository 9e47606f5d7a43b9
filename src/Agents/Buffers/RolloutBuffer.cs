namespace RlExperiments.Agents.Buffers;

/// <summary>
/// The on-policy storage of PPO/A2C (Stable-Baselines3's <c>RolloutBuffer</c>): <see cref="NumSteps"/> steps
/// of <see cref="NumEnvs"/> environments, with the values and log-probabilities the policy produced when
/// acting, and the advantages and returns of generalised advantage estimation (GAE).
/// </summary>
/// <remarks>
/// <para>Every per-transition array is laid out step-major: transition (t, e) is row <c>t * NumEnvs + e</c>.</para>
/// <para><b>Terminated vs truncated.</b> A terminated episode is not bootstrapped. A truncated one (time limit)
/// is: the caller stores the critic's value of the true final observation with
/// <see cref="SetTruncationValue"/>, and GAE adds <c>γ·V(final_obs)</c> to that transition's reward, exactly as
/// Stable-Baselines3 does in <c>collect_rollouts</c>. A transition both terminated and truncated counts as
/// terminated (Stable-Baselines3's <c>TimeLimit.truncated = truncated and not terminated</c>).</para>
/// <para>Allocation happens in the constructor and the first <see cref="Minibatches"/> call per batch size; adding,
/// computing GAE and filling minibatches allocate nothing.</para>
/// </remarks>
public sealed class RolloutBuffer
{
    private readonly Dictionary<int, RolloutMinibatches> _minibatches = [];

    /// <summary>Creates an empty buffer.</summary>
    /// <param name="numSteps">Steps per environment per rollout (PPO's <c>n_steps</c>); at least 1.</param>
    /// <param name="numEnvs">Number of environments stepping together; at least 1.</param>
    /// <param name="observationSize">Floats per observation; at least 1.</param>
    /// <param name="actionSize">Floats per stored action (1 for a discrete action, the Box size for a continuous one); at least 1.</param>
    public RolloutBuffer(int numSteps, int numEnvs, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionSize, 1);
        NumSteps = numSteps;
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        var n = numSteps * numEnvs;
        Observations = new float[n * observationSize];
        Actions = new float[n * actionSize];
        Rewards = new float[n];
        Values = new float[n];
        LogProbs = new float[n];
        Terminated = new bool[n];
        Truncated = new bool[n];
        TruncationValues = new float[n];
        Advantages = new float[n];
        Returns = new float[n];
    }

    /// <summary>Steps per environment per rollout.</summary>
    public int NumSteps { get; }

    /// <summary>Number of environments.</summary>
    public int NumEnvs { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per stored action.</summary>
    public int ActionSize { get; }

    /// <summary>Transitions in a full buffer: <c>NumSteps * NumEnvs</c>.</summary>
    public int Capacity => NumSteps * NumEnvs;

    /// <summary>Steps added since the last <see cref="Reset"/> (0 to <see cref="NumSteps"/>).</summary>
    public int StepCount { get; private set; }

    /// <summary>True when <see cref="NumSteps"/> steps have been added.</summary>
    public bool IsFull => StepCount == NumSteps;

    /// <summary>True once <see cref="ComputeReturnsAndAdvantages"/> ran on the current contents.</summary>
    public bool HasAdvantages { get; private set; }

    /// <summary><c>[Capacity * ObservationSize]</c>: the observation each action was chosen from.</summary>
    public float[] Observations { get; }

    /// <summary><c>[Capacity * ActionSize]</c>: the actions taken (for a continuous space, the unclipped sample).</summary>
    public float[] Actions { get; }

    /// <summary><c>[Capacity]</c>: the rewards received (without the truncation bootstrap).</summary>
    public float[] Rewards { get; }

    /// <summary><c>[Capacity]</c>: the critic's value of each observation when it was acted on.</summary>
    public float[] Values { get; }

    /// <summary><c>[Capacity]</c>: log π(a|s) of each action when it was taken.</summary>
    public float[] LogProbs { get; }

    /// <summary><c>[Capacity]</c>: the episode reached a terminal state at this transition.</summary>
    public bool[] Terminated { get; }

    /// <summary><c>[Capacity]</c>: the episode was truncated (e.g. time limit) at this transition.</summary>
    public bool[] Truncated { get; }

    /// <summary><c>[Capacity]</c>: V(final observation) where the episode was truncated (0 elsewhere).</summary>
    public float[] TruncationValues { get; }

    /// <summary><c>[Capacity]</c>: GAE advantages (valid after <see cref="ComputeReturnsAndAdvantages"/>).</summary>
    public float[] Advantages { get; }

    /// <summary><c>[Capacity]</c>: returns = advantages + values, the critic's regression target.</summary>
    public float[] Returns { get; }

    /// <summary>Empties the buffer (the arrays keep their storage).</summary>
    public void Reset()
    {
        StepCount = 0;
        HasAdvantages = false;
        Array.Clear(TruncationValues);
    }

    /// <summary>
    /// Appends one step of all environments: the observations acted on, the actions, the rewards and
    /// terminated/truncated flags the step returned, and the values and log-probabilities from acting.
    /// </summary>
    /// <exception cref="InvalidOperationException">The buffer is full.</exception>
    /// <exception cref="ArgumentException">A span does not have NumEnvs rows of the right width.</exception>
    public void Add(
        ReadOnlySpan<float> observations,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> logProbs)
    {
        if (IsFull)
            throw new InvalidOperationException($"The rollout buffer is full ({NumSteps} steps); call Reset before adding more.");
        CheckLength(nameof(observations), observations.Length, NumEnvs * ObservationSize);
        CheckLength(nameof(actions), actions.Length, NumEnvs * ActionSize);
        CheckLength(nameof(rewards), rewards.Length, NumEnvs);
        CheckLength(nameof(terminated), terminated.Length, NumEnvs);
        CheckLength(nameof(truncated), truncated.Length, NumEnvs);
        CheckLength(nameof(values), values.Length, NumEnvs);
        CheckLength(nameof(logProbs), logProbs.Length, NumEnvs);
        var row = StepCount * NumEnvs;
        observations.CopyTo(Observations.AsSpan(row * ObservationSize));
        actions.CopyTo(Actions.AsSpan(row * ActionSize));
        rewards.CopyTo(Rewards.AsSpan(row));
        terminated.CopyTo(Terminated.AsSpan(row));
        truncated.CopyTo(Truncated.AsSpan(row));
        values.CopyTo(Values.AsSpan(row));
        logProbs.CopyTo(LogProbs.AsSpan(row));
        StepCount++;
        HasAdvantages = false;
    }

    /// <summary>
    /// Records V(final observation) of environment <paramref name="env"/> for the step added last, where that
    /// environment was truncated: GAE then bootstraps with it.
    /// </summary>
    public void SetTruncationValue(int env, float value)
    {
        if (StepCount == 0)
            throw new InvalidOperationException("SetTruncationValue refers to the last added step; add a step first.");
        ArgumentOutOfRangeException.ThrowIfNegative(env);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(env, NumEnvs);
        TruncationValues[(StepCount - 1) * NumEnvs + env] = value;
    }

    /// <summary>
    /// Generalised advantage estimation (Schulman et al. 2016) over the full buffer, as Stable-Baselines3:
    /// <code>
    /// r̃ₜ = rₜ + γ·V(final obsₜ)   if the episode was truncated at t (and not terminated), else rₜ
    /// δₜ = r̃ₜ + γ·(1 − doneₜ)·Vₜ₊₁ − Vₜ        (Vₜ₊₁ of the last step = <paramref name="lastValues"/>)
    /// Aₜ = δₜ + γλ·(1 − doneₜ)·Aₜ₊₁
    /// Rₜ = Aₜ + Vₜ
    /// </code>
    /// where doneₜ = terminatedₜ or truncatedₜ (the environment was reset, so Vₜ₊₁ belongs to a new episode).
    /// </summary>
    /// <param name="lastValues">V of the observations after the last step, one per environment.</param>
    /// <param name="gamma">Discount factor γ in [0, 1].</param>
    /// <param name="gaeLambda">GAE λ in [0, 1] (1 = Monte-Carlo returns, 0 = one-step TD).</param>
    public void ComputeReturnsAndAdvantages(ReadOnlySpan<float> lastValues, double gamma, double gaeLambda)
    {
        if (!IsFull)
            throw new InvalidOperationException($"GAE needs a full buffer; {StepCount} of {NumSteps} steps were added.");
        CheckLength(nameof(lastValues), lastValues.Length, NumEnvs);
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must lie in [0, 1].");
        if (!(gaeLambda >= 0 && gaeLambda <= 1)) throw new ArgumentOutOfRangeException(nameof(gaeLambda), gaeLambda, "gaeLambda must lie in [0, 1].");
        var g = (float)gamma;
        var gl = (float)(gamma * gaeLambda);
        for (var e = 0; e < NumEnvs; e++)
        {
            var lastGae = 0f;
            for (var t = NumSteps - 1; t >= 0; t--)
            {
                var i = t * NumEnvs + e;
                var nextValue = t == NumSteps - 1 ? lastValues[e] : Values[i + NumEnvs];
                var notDone = Terminated[i] || Truncated[i] ? 0f : 1f;
                var reward = Rewards[i];
                if (Truncated[i] && !Terminated[i]) reward += g * TruncationValues[i];
                var delta = reward + g * nextValue * notDone - Values[i];
                lastGae = delta + gl * notDone * lastGae;
                Advantages[i] = lastGae;
                Returns[i] = lastGae + Values[i];
            }
        }
        HasAdvantages = true;
    }

    /// <summary>
    /// The buffer's minibatches of <paramref name="batchSize"/> transitions (the last one smaller when the
    /// capacity is not a multiple; a batch size above the capacity gives one minibatch of everything). The
    /// object is created once per batch size and reused; call <see cref="RolloutMinibatches.Shuffle"/> at the
    /// start of each update epoch.
    /// </summary>
    public RolloutMinibatches Minibatches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!_minibatches.TryGetValue(batchSize, out var m))
            _minibatches[batchSize] = m = new RolloutMinibatches(this, Math.Min(batchSize, Capacity));
        return m;
    }

    /// <summary>Copies transition rows <paramref name="indices"/> into <paramref name="batch"/>'s tensors.</summary>
    internal void Gather(ReadOnlySpan<int> indices, RolloutMinibatch batch)
    {
        if (!HasAdvantages)
            throw new InvalidOperationException("Compute returns and advantages (ComputeReturnsAndAdvantages) before sampling minibatches.");
        var obs = batch.Observations.Data;
        var act = batch.Actions.Data;
        var lp = batch.OldLogProbs.Data;
        var v = batch.OldValues.Data;
        var adv = batch.Advantages.Data;
        var ret = batch.Returns.Data;
        int os = ObservationSize, asz = ActionSize;
        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];
            Observations.AsSpan(i * os, os).CopyTo(obs.Slice(k * os, os));
            Actions.AsSpan(i * asz, asz).CopyTo(act.Slice(k * asz, asz));
            lp[k] = LogProbs[i];
            v[k] = Values[i];
            adv[k] = Advantages[i];
            ret[k] = Returns[i];
        }
        batch.SetIndices(indices);
    }

    private static void CheckLength(string name, int actual, int expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements; expected {expected}.", name);
    }
}
