#:property PublishAot=false
#:project ../../src/AutoRL/RlExperiments.AutoRL.csproj

// Dynamic algorithm configuration with the AutoRL environment: dotnet run -c Release examples/scripts/autorl_dynamic.cs
// One episode of 6 AutoRL steps, each training DQN on CartPole-v1 for 10,000 env steps. A hand-written controller reads
// the observation (test return, gradient statistics) and halves the learning rate whenever the test return drops, the
// way a learned controller (or population-based training) would act through the same interface.
using System.Globalization;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.AutoRL;
using RlExperiments.Tuning;
using RlExperiments.Experiments.Algorithms.Dqn;

using var env = new AutoRLEnv(new AutoRLEnvConfig
{
    EnvId = "CartPole-v1",
    NumEnvs = 1,
    Algorithm = "DQN",
    NSteps = 6,
    NTotalTimesteps = 10_000,
    NEvalSteps = 2,
    NEvalEpisodes = 10,
    Objectives = [AutoRLObjective.RewardMean, AutoRLObjective.Runtime],
    OptimizeObjectives = ObjectiveOrientation.Natural,
    StateFeatures = [AutoRLStateFeature.GradInfo, AutoRLStateFeature.TestReturn],
    Basis = new DQNAlgorithmFactory { Params = new DqnParams { BufferSize = 60_000 } },
});

var learningRate = 2e-3;
Configuration Action() => new(new Dictionary<string, object>
{
    ["learning_rate"] = learningRate,
    ["buffer_batch_size"] = 64L,
    ["learning_starts"] = 1000L,
    ["target_update_interval"] = 500L,
    ["exploration_fraction"] = 0.2,
    ["train_freq"] = 4L,
});

env.Reset();
var previous = double.NegativeInfinity;
Console.WriteLine($"{"step",4} {"env steps",10} {"lr",9} {"return",8} {"grad norm",10} {"runtime s",10}");
for (var truncated = false; !truncated;)
{
    var result = env.Step(Action());
    truncated = result.Truncated;
    var obs = result.Observation; // step, env_steps, grad_norm_mean, grad_norm_var, test_return
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{obs[0],4} {obs[1],10} {learningRate,9:0.0e0} {result.Objectives["reward_mean"],8:0.0} {obs[2],10:0.000} {result.Objectives["runtime"],10:0.00}"));
    if (obs[4] < previous) learningRate /= 2; // the controller: back off when the test return drops
    previous = obs[4];
}
Console.WriteLine($"Final evaluation over 20 episodes: {env.Eval(20).Average():0.0}");
