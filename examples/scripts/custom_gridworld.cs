#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// An environment of one's own, end to end: dotnet run -c Release examples/scripts/custom_gridworld.cs
// Defines a 5×5 gridworld, registers it, trains DQN and PPO on it, restores the saved DQN policy from its run directory,
// and resumes the PPO run from its checkpoint for two more epochs. Everything lands in log/gridworld/.
using RlExperiments.Agents.Algorithms.Dqn;                 // DqnParams
using RlExperiments.Agents.Algorithms.Ppo;                 // PpoParams
using RlExperiments.Core;                                  // Rng
using RlExperiments.Environments;                          // EnvRegistry, EnvKwargs, StepResult
using RlExperiments.Environments.ClassicControl;           // ClassicControlEnv: the base for a float64 state
using RlExperiments.Environments.Spaces;                   // Box, Discrete
using RlExperiments.Experiments;                           // Experiment, ExperimentConfig, SamplingConfig
using RlExperiments.Experiments.Algorithms.Dqn;            // DQNExperimentBuilder
using RlExperiments.Experiments.Algorithms.Ppo;            // PPOExperimentBuilder
using RlExperiments.Factories;                             // EnvFactory
using RlExperiments.Rendering;                             // EnvRendering, RgbFrame

// 1. Register the environment under an id, with its time limit, its solved threshold and the kwargs it reads. An
//    experiment names it by id (EnvFactory.EnvId), so experiment.json stays plain data and restores wherever the id is
//    registered. Registering a picture is optional; it lets WatchRender write watch.gif.
EnvRegistry.Default.Register("GridWorld-v0", kwargs => new GridWorld(kwargs.GetInt("size", 5)),
    maxEpisodeSteps: 50, rewardThreshold: 0.5, parameters: ["size"]);
EnvRendering.Register<GridWorld>(GridWorld.Draw, framesPerSecond: 5);

var env = new EnvFactory { EnvId = "GridWorld-v0", Kwargs = new Dictionary<string, object?> { ["size"] = 5 } };
var config = new ExperimentConfig { Seed = 3, PersistenceBaseDir = "log/gridworld", CheckpointEveryEpochs = 1, WatchNumEpisodes = 5, WatchRender = 0.2 };

// 2. DQN.
var dqn = new DQNExperimentBuilder(env, config, new SamplingConfig { NumEpochs = 3, EpochNumSteps = 3_000, NumTestEpisodes = 20 })
    .WithDQNParams(new DqnParams { LearningRate = 1e-3, LearningStarts = 500, TargetUpdateInterval = 250, ExplorationFraction = 0.3, BufferSize = 20_000 })
    .WithModelFactoryDefault([64, 64])
    .WithName("dqn")
    .Build();
using (var result = dqn.Run(overwrite: true))
{
    Console.WriteLine($"DQN: best test return {result.Summary.BestTestReturn:0.###}, saved policy {result.PolicyTestReturn:0.###}, watch {result.WatchResult!.Mean:0.###}");
    Console.WriteLine($"DQN: report {result.WriteReport()}");
}

// 3. PPO, two epochs for now.
var ppo = new PPOExperimentBuilder(env, config, new SamplingConfig { NumEpochs = 2, EpochNumSteps = 4_096, NumTestEpisodes = 20 })
    .WithPPOParams(new PpoParams { LearningRate = 1e-3, NumSteps = 256, BatchSize = 64 })
    .WithActorFactoryDefault([64, 64])
    .WithCriticFactoryDefault([64, 64])
    .WithName("ppo")
    .Build();
using (var result = ppo.Run(overwrite: true))
    Console.WriteLine($"PPO (2 epochs): best test return {result.Summary.BestTestReturn:0.###}, saved policy {result.PolicyTestReturn:0.###}");

// 4. Restore: the DQN run directory alone rebuilds the experiment and its saved policy; evaluating it without training
//    reproduces the saved policy's test return exactly.
var restored = Experiment.FromDirectory("log/gridworld/dqn").WithConfig(c => c with { Train = false, PersistenceEnabled = false, WatchRender = 0 });
using (var result = restored.Run())
    Console.WriteLine($"DQN restored from log/gridworld/dqn: test return {result.PolicyTestReturn:0.###}");

// 5. Resume: continue the PPO run from its last checkpoint (epoch 2) to epoch 4, in place. NumEpochs may change on a
//    resume; anything that changes training (params, networks, environment, seed) is refused with the differences named.
var saved = Experiment.FromDirectory("log/gridworld/ppo", restorePolicy: false);
var longer = new Experiment(saved.Definition with { Sampling = saved.Definition.Sampling with { NumEpochs = 4 } }, saved.Services);
using (var result = longer.Resume("log/gridworld/ppo"))
    Console.WriteLine($"PPO resumed to {result.Summary.Epochs} epochs ({result.Summary.EnvSteps:N0} env steps): best test return {result.Summary.BestTestReturn:0.###}, saved policy {result.PolicyTestReturn:0.###}");

/// <summary>
/// A size×size grid: start in a random cell, reach the bottom-right corner. Actions 0..3 move up, right, down, left (a
/// move into the wall stays put); every step costs 0.05 and reaching the goal gives +1 and ends the episode. The
/// observation is the position scaled to [0, 1]². Deriving from ClassicControlEnv gives seeding, order checks and
/// checkpoint state for free: the environment only keeps its state in doubles.
/// </summary>
sealed class GridWorld(int size) : ClassicControlEnv(new Box([0f, 0f], [1f, 1f]), new Discrete(4))
{
    private double _x, _y;

    public int Size { get; } = size >= 2 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "GridWorld size must be ≥ 2.");

    public override int StateSize => 2;

    protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options)
    {
        do
        {
            _x = rng.NextInt(Size);
            _y = rng.NextInt(Size);
        } while (AtGoal);
    }

    protected override StepResult StepCore(int action, Span<float> observation)
    {
        if ((uint)action > 3u) throw InvalidAction(action);
        var (dx, dy) = action switch { 0 => (0, -1), 1 => (1, 0), 2 => (0, 1), _ => (-1, 0) };
        _x = Math.Clamp(_x + dx, 0, Size - 1);
        _y = Math.Clamp(_y + dy, 0, Size - 1);
        WriteObservation(observation);
        return AtGoal ? new StepResult(1.0, true, false) : new StepResult(-0.05, false, false);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)(_x / (Size - 1));
        observation[1] = (float)(_y / (Size - 1));
    }

    protected override void GetState(Span<double> destination) => (destination[0], destination[1]) = (_x, _y);

    protected override void SetState(ReadOnlySpan<double> source) => (_x, _y) = (source[0], source[1]);

    private bool AtGoal => _x == Size - 1 && _y == Size - 1;

    /// <summary>40 px per cell: white cells with grey borders, the goal green, the agent blue.</summary>
    public static RgbFrame Draw(GridWorld env)
    {
        const int cell = 40;
        var side = env.Size * cell;
        var pixels = new byte[side * side * 3];
        var (ax, ay) = ((int)env.State[0], (int)env.State[1]);
        for (var py = 0; py < side; py++)
        for (var px = 0; px < side; px++)
        {
            var (cx, cy) = (px / cell, py / cell);
            var border = px % cell == 0 || py % cell == 0;
            (byte R, byte G, byte B) colour = border ? ((byte)160, (byte)160, (byte)160)
                : (cx, cy) == (ax, ay) ? ((byte)0, (byte)114, (byte)178)
                : (cx, cy) == (env.Size - 1, env.Size - 1) ? ((byte)0, (byte)158, (byte)115)
                : ((byte)255, (byte)255, (byte)255);
            var i = 3 * (py * side + px);
            (pixels[i], pixels[i + 1], pixels[i + 2]) = colour;
        }
        return new RgbFrame(side, side, pixels);
    }
}
