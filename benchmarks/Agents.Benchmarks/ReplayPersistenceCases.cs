using RlExperiments.Agents.Buffers;
using RlExperiments.Tensors.Benchmarks;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// Saving and loading a full replay buffer of a million CartPole-sized transitions (what a checkpoint of a long
/// off-policy run writes): <c>--quick replay_</c>. Its correctness is tested in ReplayBufferTests; its speed is measured here,
/// not in a timed unit test.
/// </summary>
public static class ReplayPersistenceCases
{
    private const int Transitions = 1_000_000;

    /// <summary>The save and load cases on one shared full buffer and directory (removed when the process exits).</summary>
    public static IEnumerable<QuickCase> QuickCases()
    {
        var buffer = new ReplayBuffer(Transitions, 4, 1);
        var obs = new float[4];
        for (var i = 0; i < Transitions; i++)
        {
            obs[0] = i;
            buffer.Add(obs, [i % 2], [1], obs, [false], [false]);
        }
        var dir = Directory.CreateTempSubdirectory("rlx-replay-bench-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        var copy = new ReplayBuffer(Transitions, 4, 1);
        yield return new QuickCase("replay_save_1m", () => buffer.Save(dir), Warmup: 1, Reps: 5);
        yield return new QuickCase("replay_load_1m", () => copy.Load(dir), Warmup: 1, Reps: 5);
    }
}
