using System.Globalization;
using System.Text.Json;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.ClassicControl;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>
/// <c>--trace-cartpole</c>: a transition trace of our CartPole-v1 (time limit included) for
/// <c>benchmarks/cleanrl_torch_reference.py --check</c>, which replays it in its NumPy CartPole. Each episode
/// starts with a line holding the float64 state after the seeded reset; each step writes the action, the float32
/// observation, the reward and both flags. Episodes alternate between seeded random actions and a balancing controller
/// (push towards the pole's lean), so the trace has terminations and at least one truncation at 500 steps.
/// </summary>
public static class CartPoleTrace
{
    /// <summary>Writes the trace of at least <paramref name="minTransitions"/> transitions (whole episodes) to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, int minTransitions = 1_200)
    {
        using var env = EnvRegistry.Default.Make("CartPole-v1");
        var cartPole = (CartPole)env.Unwrapped;
        var obs = new float[4];
        var rng = new Rng(12345);
        var transitions = 0;
        for (var episode = 0; transitions < minTransitions; episode++)
        {
            env.Reset(obs, seed: 100 + episode);
            output.WriteLine(JsonSerializer.Serialize(new { episode, state = cartPole.State, obs }));
            var controller = episode % 3 == 2;
            while (true)
            {
                // Controller: push the way the pole leans, with its angular velocity as a lead.
                var action = controller ? (obs[2] + 0.5f * obs[3] > 0 ? 1 : 0) : rng.NextInt(2);
                var step = env.Step(action, obs);
                transitions++;
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    a = action, obs, r = step.Reward, term = step.Terminated, trunc = step.Truncated,
                }));
                if (step.Done) break;
            }
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cartpole trace: {transitions} transitions"));
    }
}
