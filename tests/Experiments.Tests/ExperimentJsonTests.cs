using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RlExperiments.Environments.Vector;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;
using RlExperiments.Factories.Logging;
using RlExperiments.Factories.Optim;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Sac;
using RlExperiments.Experiments.Algorithms.Pg;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Experiments.Algorithms.Trpo;

namespace RlExperiments.Experiments.Tests;

public class ExperimentJsonTests
{
    private static readonly ExperimentJson Json = new(new TypeAllowList().Allow<SampleConfig>().Allow<MyEnvFactory>());

    /// <summary>A non-default instance of every framework type (a test below checks that the list is complete).</summary>
    public static IReadOnlyList<object> Samples { get; } =
    [
        new EnvFactory
        {
            EnvId = "Pendulum-v1",
            Kwargs = new Dictionary<string, object?> { ["g"] = 9.81, ["max_episode_steps"] = 100, ["flag"] = true, ["name"] = "x", ["none"] = null, ["tiny"] = 0.1 + 0.2 },
            TestKwargs = new Dictionary<string, object?> { ["g"] = 3 },
            VectorMode = VectorMode.Parallel,
        },
        new TensorBoardLoggerFactory { FileNameSuffix = ".run1" },
        new CsvLoggerFactory { FileName = "metrics.csv" },
        new ConsoleLoggerFactory { Category = "Cat", Level = Microsoft.Extensions.Logging.LogLevel.Warning },
        new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CompositeLoggerFactory(new CsvLoggerFactory(), new NoneLoggerFactory())),
        new NoneLoggerFactory(),
        new AdamOptimizerFactory { Beta1 = 0.8, Beta2 = 0.95, Eps = 1e-5, WeightDecay = 3e-4 },
        new AdamWOptimizerFactory { Beta1 = 0.85, Beta2 = 0.9, Eps = 1e-7, WeightDecay = 0.1 },
        new SgdOptimizerFactory { Momentum = 0.9, Dampening = 0, WeightDecay = 1e-4, Nesterov = true },
        new RmsPropOptimizerFactory { Alpha = 0.95, Eps = 1e-6, WeightDecay = 0.01, Momentum = 0.5, Centered = true },
        new ConstantLrSchedulerFactory(),
        new LinearLrSchedulerFactory { StartFactor = 0.9, EndFactor = 0.05 },
        new QNetworkFactoryDefault { HiddenSizes = [32, 16], Activation = Activation.Tanh, Dueling = true },
        new ActorFactoryDefault { HiddenSizes = [8], Activation = Activation.ELU, OrthoInit = true },
        new TanhGaussianActorFactoryDefault { HiddenSizes = [32], Activation = Activation.Tanh, LogStdMin = -5, LogStdMax = 1 },
        new CriticFactoryDefault { HiddenSizes = [], OrthoInit = true },
        new PreprocessNetworkFactoryDefault { HiddenSizes = [12, 6], Activation = Activation.Tanh },
        new ImplicitQuantileNetworkFactory { HiddenSizes = [4], Activation = Activation.Tanh, NumCosines = 8 },
        new RlExperiments.Experiments.Algorithms.Iqn.IQNAlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.Iqn.IqnParams { SampleSize = 12, NStep = 3 },
            PreprocessNetworkFactory = new PreprocessNetworkFactoryDefault { HiddenSizes = [10] },
            QuantileNetworkFactory = new ImplicitQuantileNetworkFactory { NumCosines = 16, HiddenSizes = [8] },
        },
        new DQNAlgorithmFactory
        {
            Params = new DqnParams { LearningRate = 1e-3, Loss = DqnLoss.Mse },
            ModelFactory = new QNetworkFactoryDefault { HiddenSizes = [7] },
            OptimizerFactory = new AdamWOptimizerFactory { WeightDecay = 0.5 },
        },
        new PPOAlgorithmFactory
        {
            Params = PpoPresets.CartPoleV1.Params with { ClipRangeVf = 0.3, TargetKl = 0.02 },
            ActorFactory = new ActorFactoryDefault { HiddenSizes = [16] },
            CriticFactory = null,
            CriticUseActor = true,
        },
        new SACAlgorithmFactory
        {
            Params = new SacParams { TargetEntropy = -2 },
            ActorFactory = new TanhGaussianActorFactoryDefault(),
            Critic1Factory = new CriticFactoryDefault { HiddenSizes = [5] },
            Critic2Factory = new CriticFactoryDefault { HiddenSizes = [6] },
        },
        new RlExperiments.Experiments.Algorithms.Ddpg.DDPGAlgorithmFactory
        {
            Params = RlExperiments.Agents.Algorithms.Ddpg.DdpgPresets.PendulumV1.Params with { ExplorationNoise = 0.2, MaxGradNorm = 5 },
            ActorFactory = new ActorFactoryDefault { HiddenSizes = [9] },
            CriticFactory = new CriticFactoryDefault { HiddenSizes = [4] },
        },
        new RlExperiments.Experiments.Algorithms.Td3.TD3AlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.Td3.Td3Params { PolicyNoise = 0.3, NoiseClip = 0.4, UpdateActorFreq = 3 },
            Critic1Factory = new CriticFactoryDefault { HiddenSizes = [5] },
            Critic2Factory = new CriticFactoryDefault { HiddenSizes = [6] },
        },
        new RlExperiments.Experiments.Algorithms.Redq.REDQAlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.Redq.RedqParams
            {
                EnsembleSize = 5, SubsetSize = 3, ActorDelay = 4, TargetMode = RlExperiments.Agents.Algorithms.Redq.RedqTargetMode.Mean,
                AutoAlpha = false, Alpha = 0.1,
            },
            ActorFactory = new TanhGaussianActorFactoryDefault { HiddenSizes = [7] },
            CriticEnsembleFactory = new CriticEnsembleFactoryDefault { HiddenSizes = [9] },
        },
        new CriticEnsembleFactoryDefault { HiddenSizes = [3, 2], Activation = Activation.Tanh },
        new RlExperiments.Experiments.Algorithms.DiscreteSac.DiscreteSACAlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.DiscreteSac.DiscreteSacParams { TargetEntropyCoefficient = 0.98, NStep = 3 },
            ActorFactory = new ActorFactoryDefault { HiddenSizes = [5] },
            Critic1Factory = new QNetworkFactoryDefault { HiddenSizes = [6] },
        },
        new PGAlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.Pg.PgParams { ReturnScaling = true, BatchSize = 64, MaxGradNorm = 1 },
            ActorFactory = new ActorFactoryDefault { HiddenSizes = [8] },
        },
        new A2CAlgorithmFactory
        {
            Params = RlExperiments.Agents.Algorithms.A2c.A2cPresets.AcrobotV1.Params with { UseRmsProp = false },
            CriticFactory = new CriticFactoryDefault { HiddenSizes = [7] },
            OptimizerFactory = new RmsPropOptimizerFactory { Eps = 1e-5 },
        },
        new NPGAlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.Npg.NpgParams { TrustRegionSize = 0.1, BatchSize = 64 },
            CriticFactory = new CriticFactoryDefault { HiddenSizes = [5] },
        },
        new TRPOAlgorithmFactory
        {
            Params = new RlExperiments.Agents.Algorithms.Trpo.TrpoParams { MaxKl = 0.02, MaxBacktracks = 5, NormalizeObservations = true },
            ActorFactory = new ActorFactoryDefault { HiddenSizes = [9] },
        },
        new ExperimentDefinition
        {
            Name = "exp",
            Config = new ExperimentConfig { Seed = 7, Train = false, PolicyRestoreDirectory = "log/x", PolicyPersistenceMode = PolicyPersistenceMode.Final },
            EnvFactory = new EnvFactory { EnvId = "CartPole-v1" },
            Sampling = new SamplingConfig { NumEpochs = 3, UpdatePerStep = 0.5 },
            Algorithm = new DQNAlgorithmFactory(),
            LoggerFactory = new NoneLoggerFactory(),
            EpochTrainCallback = new EpochTrainCallbackDQNEpsLinearDecay { EpsTrain = 1, EpsTrainFinal = 0.1, DecaySteps = 100 },
            EpochTestCallback = new EpochTestCallbackDQNSetEps { Eps = 0.05 },
            EpochStopCallback = new EpochStopCallbackRewardThreshold { Threshold = 100 },
            DroppedCallbacks = ["EpochStopCallback: lambda"],
        },
        new ExperimentConfig { Seed = -3, Device = "cpu", Watch = false, WatchNumEpisodes = 2, PersistenceBaseDir = "runs", LogFileEnabled = false },
        new SamplingConfig
        {
            NumEpochs = 1, EpochNumSteps = 2, BatchSize = 3, NumTrainEnvs = 4, NumTestEnvs = 5, NumTestEpisodes = 6, BufferSize = 7,
            StepPerCollect = 8, RepeatPerCollect = 9, UpdatePerStep = 0.25, StartTimesteps = 10, StartTimestepsRandom = true,
        },
        new RunSummary { ExperimentName = "x", Algorithm = "DQN", EnvId = "CartPole-v1", BestTestReturn = double.NaN, StartedUtc = "a", FinishedUtc = "b" },
        new EpochStopCallbackRewardThreshold { Threshold = 195 },
        new EpochTrainCallbackDQNSetEps { Eps = 0.1 },
        new EpochTrainCallbackDQNEpsLinearDecay { EpsTrain = 0.9, EpsTrainFinal = 0.05, DecaySteps = 1000 },
        new EpochTestCallbackDQNSetEps { Eps = 0 },
        new StepCallbackEval { EvalFreq = 5000, NumEvalEpisodes = 3, Deterministic = false, RewardThreshold = 475, SaveBestPolicy = false },
    ];

    public static TheoryData<int> SampleIndices => new(Enumerable.Range(0, Samples.Count));

    [Fact]
    public void Samples_cover_every_framework_type() =>
        Samples.Select(s => s.GetType()).Should().BeEquivalentTo(
            FrameworkTypes.All.Select(t => t.Type).Concat(AlgorithmRegistry.Default.Modules.SelectMany(m => m.PersistedTypes)));

    [Theory]
    [MemberData(nameof(SampleIndices))]
    public void Every_framework_type_round_trips_exactly_as_itself_and_through_object(int index)
    {
        var sample = Samples[index];
        var method = typeof(ExperimentJsonTests).GetMethod(nameof(RoundTrip), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var back = method.MakeGenericMethod(sample.GetType()).Invoke(null, [sample])!;
        back.Should().Be(sample);
        back.Should().NotBeSameAs(sample);

        var json = Json.Serialize(sample, "x");
        var viaObject = Json.Deserialize<object>(json, "x");
        viaObject.Should().Be(sample);
    }

    private static T RoundTrip<T>(T value)
    {
        var json = Json.Serialize(value);
        var back = Json.Deserialize<T>(json);
        Json.Serialize(back).Should().Be(json, "serialising the restored value gives the same document");
        return back;
    }

    [Fact]
    public void Polymorphic_properties_round_trip_with_short_type_names()
    {
        var config = new SampleConfig
        {
            Env = new MyEnvFactory { EnvId = "CartPole-v1", StatsWindow = 7, Kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 } },
            Logger = new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory()),
            Optim = new RmsPropOptimizerFactory { Alpha = 0.9 },
            LrScheduler = new LinearLrSchedulerFactory(),
            LearningRate = 0.1 + 0.2,
        };
        var json = Json.Serialize(config, "experiment");
        var doc = JObject.Parse(json);
        doc["formatVersion"]!.Value<int>().Should().Be(1);
        doc["kind"]!.Value<string>().Should().Be("experiment");
        var payload = (JObject)doc["payload"]!;
        payload.Property("$type").Should().BeNull("the payload's declared type is its runtime type");
        payload["env"]!["$type"]!.Value<string>().Should().Be("MyEnvFactory");
        payload["env"]!["kwargs"]!["max_episode_steps"]!.Value<long>().Should().Be(50);
        payload["logger"]!["$type"]!.Value<string>().Should().Be("CompositeLoggerFactory");
        payload["logger"]!["factories"]!.Type.Should().Be(JTokenType.Array, "collections carry no $type of their own");
        payload["logger"]!["factories"]![1]!["$type"]!.Value<string>().Should().Be("CsvLoggerFactory");
        payload["optim"]!["$type"]!.Value<string>().Should().Be("RmsPropOptimizerFactory");
        payload["learningRate"]!.Value<double>().Should().Be(0.1 + 0.2);
        json.Should().NotContain("RlExperiments.", "no CLR type names are written");

        var back = Json.Deserialize<SampleConfig>(json, "experiment");
        back.Should().Be(config);
        back.Env.Should().BeOfType<MyEnvFactory>().Which.StatsWindow.Should().Be(7);
    }

    [Fact]
    public void Document_format_is_the_documented_envelope()
    {
        var json = Json.Serialize<MetricsLoggerFactory>(new CsvLoggerFactory());
        json.Replace("\r\n", "\n").Should().Be(
            """
            {
              "formatVersion": 1,
              "kind": "LoggerFactory",
              "payload": {
                "$type": "CsvLoggerFactory",
                "fileName": "progress.csv"
              }
            }

            """);
        Json.Deserialize<MetricsLoggerFactory>(json).Should().Be(new CsvLoggerFactory());
    }

    [Fact]
    public void Enums_are_written_as_names_and_kwargs_keys_are_kept_as_written()
    {
        var json = Json.Serialize(new EnvFactory { EnvId = "X", Kwargs = new Dictionary<string, object?> { ["Max_Steps"] = 1 }, VectorMode = VectorMode.Parallel });
        json.Should().Contain("\"vectorMode\": \"Parallel\"").And.Contain("\"Max_Steps\": 1").And.Contain("\"testKwargs\": null");
    }

    [Fact]
    public void Tampered_clr_type_name_is_rejected_naming_the_type_and_the_allowed_ones()
    {
        var json = Json.Serialize<MetricsLoggerFactory>(new CsvLoggerFactory()).Replace("\"CsvLoggerFactory\"", "\"System.Diagnostics.Process, System\"");
        var act = () => Json.Deserialize<MetricsLoggerFactory>(json, source: "experiment.json");
        var ex = act.Should().Throw<ExperimentJsonException>().Which;
        ex.Message.Should().Contain("experiment.json").And.Contain("'System.Diagnostics.Process, System'")
            .And.Contain("not on the allow-list").And.Contain("nothing was created")
            .And.Contain("TensorBoardLoggerFactory").And.Contain("CsvLoggerFactory").And.Contain("AllowType<T>()");
        ex.LineNumber.Should().Be(5);
        ex.JsonPath.Should().Be("payload.$type");
    }

    [Fact]
    public void Tampered_type_is_never_constructed_neither_through_ExperimentJson_nor_through_its_settings()
    {
        var before = Volatile.Read(ref Canary.Constructed);
        var name = typeof(Canary).AssemblyQualifiedName!;
        var json = Json.Serialize<MetricsLoggerFactory>(new CsvLoggerFactory()).Replace("\"CsvLoggerFactory\"", JsonConvert.ToString(name));
        var act = () => Json.Deserialize<MetricsLoggerFactory>(json);
        act.Should().Throw<ExperimentJsonException>().WithMessage($"*'{name}'*not on the allow-list*");

        var bare = JObject.Parse(json)["payload"]!.ToString();
        var viaSettings = () => JsonConvert.DeserializeObject<MetricsLoggerFactoryBase>(bare, Json.CreateSettings());
        viaSettings.Should().Throw<JsonSerializationException>().WithInnerException<DisallowedTypeException>()
            .Which.TypeName.Should().Be(name);

        var simple = () => Json.Deserialize<MetricsLoggerFactory>(json.Replace(JsonConvert.ToString(name), "\"Canary\""));
        simple.Should().Throw<ExperimentJsonException>().WithMessage("*'Canary'*not on the allow-list*");
        Volatile.Read(ref Canary.Constructed).Should().Be(before);
    }

    [Fact]
    public void Every_disallowed_type_in_the_document_is_reported_at_once()
    {
        var config = new SampleConfig { Env = new EnvFactory { EnvId = "CartPole-v1" }, Logger = new CsvLoggerFactory() };
        var json = Json.Serialize(config)
            .Replace("\"CsvLoggerFactory\"", "\"Evil1\"")
            .Replace("\"AdamOptimizerFactory\"", "\"Evil2, Evil\"");
        var act = () => Json.Deserialize<SampleConfig>(json);
        act.Should().Throw<ExperimentJsonException>().WithMessage("*'Evil1' at payload.logger.$type, line *; 'Evil2, Evil' at payload.optim.$type, line *: the types 'Evil1', 'Evil2, Evil' are not on the allow-list*");
    }

    [Fact]
    public void Type_names_must_be_strings_and_references_are_refused()
    {
        var json = Json.Serialize<MetricsLoggerFactory>(new NoneLoggerFactory()).Replace("\"NoneLoggerFactory\"", "{\"x\": 1}");
        var act = () => Json.Deserialize<MetricsLoggerFactory>(json);
        act.Should().Throw<ExperimentJsonException>().WithMessage("*not on the allow-list*");

        var withRef = Json.Serialize(new SampleConfig { Env = new EnvFactory { EnvId = "A" } }).Replace("\"envId\": \"A\"", "\"$ref\": \"1\"");
        var act2 = () => Json.Deserialize<SampleConfig>(withRef);
        act2.Should().Throw<ExperimentJsonException>().WithMessage("*'$ref' (object references) is not supported*");
    }

    [Fact]
    public void Unknown_format_version_names_found_and_supported_versions()
    {
        var json = Json.Serialize(new NoneLoggerFactory()).Replace("\"formatVersion\": 1", "\"formatVersion\": 2");
        var act = () => Json.Deserialize<NoneLoggerFactory>(json, source: "old.json");
        act.Should().Throw<ExperimentJsonException>()
            .WithMessage("old.json: formatVersion 2 is not supported by this version of RlExperiments (supported versions: 1); the file was written by a newer version (at formatVersion, line 2, position 20).");

        var missing = () => Json.Deserialize<NoneLoggerFactory>("{\"kind\": \"NoneLoggerFactory\", \"payload\": {}}");
        missing.Should().Throw<ExperimentJsonException>().WithMessage("*required field 'formatVersion' is missing (supported versions: 1)*");
        var text = () => Json.Deserialize<NoneLoggerFactory>("{\"formatVersion\": \"1\", \"kind\": \"NoneLoggerFactory\", \"payload\": {}}");
        text.Should().Throw<ExperimentJsonException>().WithMessage("*'formatVersion' must be an integer; found \"1\"*");
    }

    [Fact]
    public void Wrong_kind_and_bad_envelopes_are_reported()
    {
        var json = Json.Serialize(new NoneLoggerFactory());
        var kind = () => Json.Deserialize<NoneLoggerFactory>(json, "experiment");
        kind.Should().Throw<ExperimentJsonException>().WithMessage("*the document is of kind \"NoneLoggerFactory\", expected \"experiment\"*");
        var array = () => Json.Deserialize<NoneLoggerFactory>("[1]");
        array.Should().Throw<ExperimentJsonException>().WithMessage("*must be a JSON object*found an array*");
        var extra = () => Json.Deserialize<NoneLoggerFactory>(json.Replace("\"kind\"", "\"extra\": 1, \"kind\""));
        extra.Should().Throw<ExperimentJsonException>().WithMessage("*unknown field 'extra' in the envelope*");
        var noPayload = () => Json.Deserialize<NoneLoggerFactory>("{\"formatVersion\": 1, \"kind\": \"NoneLoggerFactory\"}");
        noPayload.Should().Throw<ExperimentJsonException>().WithMessage("*required field 'payload' is missing*");
        var nullPayload = () => Json.Deserialize<NoneLoggerFactory>("{\"formatVersion\": 1, \"kind\": \"NoneLoggerFactory\", \"payload\": null}");
        nullPayload.Should().Throw<ExperimentJsonException>().WithMessage("*'payload' is null*");
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        var json = Json.Serialize(new EnvFactory { EnvId = "CartPole-v1" });
        var missing = () => Json.Deserialize<EnvFactory>(json.Replace("\"envId\": \"CartPole-v1\",", ""), source: "env.json");
        missing.Should().Throw<ExperimentJsonException>().WithMessage("env.json: required field 'envId' is missing*");
        var nulled = () => Json.Deserialize<EnvFactory>(json.Replace("\"CartPole-v1\"", "null"));
        nulled.Should().Throw<ExperimentJsonException>().WithMessage("*required field 'envId' is null*");

        var composite = Json.Serialize(new CompositeLoggerFactory(new NoneLoggerFactory()));
        var noList = () => Json.Deserialize<CompositeLoggerFactory>(JObject.Parse(composite).Also(o => ((JObject)o["payload"]!).Remove("factories")).ToString());
        noList.Should().Throw<ExperimentJsonException>().WithMessage("*required field 'factories' is missing*");
    }

    [Fact]
    public void Invalid_enum_values_list_the_allowed_names()
    {
        var json = Json.Serialize(new EnvFactory { EnvId = "X" });
        var act = () => Json.Deserialize<EnvFactory>(json.Replace("\"Sequential\"", "\"Fast\""));
        act.Should().Throw<ExperimentJsonException>().WithMessage("*'Fast' is not a valid VectorMode; allowed: Sequential, Parallel. (at payload.vectorMode, line 8, position *");
        var number = () => Json.Deserialize<EnvFactory>(json.Replace("\"Sequential\"", "5"));
        number.Should().Throw<ExperimentJsonException>().WithMessage("*'5' is not a valid VectorMode; allowed: Sequential, Parallel.*");
        Json.Deserialize<EnvFactory>(json.Replace("\"Sequential\"", "\"parallel\"")).VectorMode.Should().Be(VectorMode.Parallel);
    }

    [Fact]
    public void Abstract_value_without_type_name_says_what_is_missing()
    {
        var act = () => Json.Deserialize<MetricsLoggerFactory>("{\"formatVersion\": 1, \"kind\": \"LoggerFactory\", \"payload\": {}}");
        act.Should().Throw<ExperimentJsonException>().WithMessage("*abstract class*needs a \"$type\" naming one of the allowed types*");
    }

    [Fact]
    public void Unknown_field_is_named()
    {
        var json = Json.Serialize(new AdamOptimizerFactory()).Replace("\"beta1\"", "\"betaOne\"");
        var act = () => Json.Deserialize<AdamOptimizerFactory>(json);
        act.Should().Throw<ExperimentJsonException>().WithMessage("*Could not find member 'betaOne'*AdamOptimizerFactory*line 5*");
    }

    [Fact]
    public void Invalid_json_reports_line_and_position()
    {
        var json = Json.Serialize(new AdamOptimizerFactory()).Replace("\"beta1\": 0.9,", "\"beta1\": 0.9,,");
        var act = () => Json.Deserialize<AdamOptimizerFactory>(json, source: "broken.json");
        var ex = act.Should().Throw<ExperimentJsonException>().Which;
        ex.Message.Should().StartWith("broken.json is not valid JSON (line 5, position");
        ex.LineNumber.Should().Be(5);
        ex.LinePosition.Should().BeGreaterThan(0);
        var trailing = () => Json.Deserialize<NoneLoggerFactory>(Json.Serialize(new NoneLoggerFactory()) + "{}");
        trailing.Should().Throw<ExperimentJsonException>().WithMessage("*not valid JSON*Additional text*");
        var duplicate = () => Json.Deserialize<AdamOptimizerFactory>(json.Replace("\"beta1\": 0.9,,", "\"beta1\": 0.9, \"beta1\": 0.5,"));
        duplicate.Should().Throw<ExperimentJsonException>().WithMessage("*not valid JSON*beta1*");
    }

    [Fact]
    public void Out_of_range_values_are_reported_at_load()
    {
        var json = Json.Serialize(new AdamOptimizerFactory()).Replace("\"beta1\": 0.9", "\"beta1\": 1.5");
        var act = () => Json.Deserialize<AdamOptimizerFactory>(json, source: "exp.json");
        act.Should().Throw<ExperimentJsonException>().WithMessage("exp.json: invalid value: AdamOptimizerFactory.Beta1 = 1.5 is invalid; allowed: [0, 1).*");

        var nested = Json.Serialize<MetricsLoggerFactory>(new CompositeLoggerFactory(new CsvLoggerFactory())).Replace("progress.csv", "../x.csv");
        var act2 = () => Json.Deserialize<MetricsLoggerFactory>(nested);
        act2.Should().Throw<ExperimentJsonException>().WithMessage("*CsvLoggerFactory.FileName = \"../x.csv\" is invalid*");

        var kwargs = Json.Serialize(new EnvFactory { EnvId = "X" }).Replace("\"kwargs\": {}", "\"kwargs\": {\"a\": [1, 2]}");
        var act3 = () => Json.Deserialize<EnvFactory>(kwargs);
        act3.Should().Throw<ExperimentJsonException>().WithMessage("*EnvFactory.Kwargs[\"a\"]*allowed values: null, true/false, integers, numbers and strings*");
    }

    [Fact]
    public void Saving_a_type_that_is_not_allowed_fails_with_how_to_allow_it()
    {
        var act = () => ExperimentJson.Default.Serialize(new SampleConfig { Env = new MyEnvFactory { EnvId = "X" } });
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("Cannot save a RlExperiments.Experiments.Tests.MyEnvFactory: its type is not on the allow-list*AllowType<MyEnvFactory>()*");
    }

    [Fact]
    public void WriteFile_is_atomic_and_ReadFile_reads_it_back()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rlx-json-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "nested", "experiment.json");
            var config = new SampleConfig { Env = new EnvFactory { EnvId = "CartPole-v1" }, Note = "π ≈ 3.14" };
            Json.WriteFile(path, config, "experiment");
            Directory.GetFiles(Path.GetDirectoryName(path)!).Should().Equal(path);
            Json.ReadFile<SampleConfig>(path, "experiment").Should().Be(config);

            File.WriteAllText(path, "{");
            var act = () => Json.ReadFile<SampleConfig>(path, "experiment");
            act.Should().Throw<ExperimentJsonException>().WithMessage($"{path} is not valid JSON*").Which.SourceName.Should().Be(path);
            var missing = () => Json.ReadFile<SampleConfig>(Path.Combine(dir, "none.json"));
            missing.Should().Throw<FileNotFoundException>();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Default_instance_knows_only_framework_types()
    {
        ExperimentJson.Default.AllowList.Should().BeSameAs(TypeAllowList.Default);
        ExperimentJson.Default.KindOf<EnvFactory>().Should().Be("EnvFactory");
        ExperimentJson.Default.KindOf<SampleConfig>().Should().Be("SampleConfig");
        var back = ExperimentJson.Default.Deserialize<MetricsLoggerFactory>(ExperimentJson.Default.Serialize<MetricsLoggerFactory>(new TensorBoardLoggerFactory()));
        back.Should().Be(new TensorBoardLoggerFactory());
    }
}

internal static class JTokenExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
