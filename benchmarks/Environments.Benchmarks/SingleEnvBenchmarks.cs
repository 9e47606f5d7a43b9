using BenchmarkDotNet.Attributes;

namespace RlExperiments.Environments.Benchmarks;

/// <summary>Steps per second of one registry-made environment (TimeLimit included) with random actions; results are per environment step.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SingleEnvBenchmarks
{
    private const int Steps = 100_000;
    private StepCase _cartPole = null!;
    private StepCase _pendulum = null!;
    private StepCase _acrobot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cartPole = StepCase.Single("CartPole-v1");
        _pendulum = StepCase.Single("Pendulum-v1");
        _acrobot = StepCase.Single("Acrobot-v1");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cartPole.Dispose();
        _pendulum.Dispose();
        _acrobot.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public void CartPoleV1() => _cartPole.Iterate(Steps);

    [Benchmark(OperationsPerInvoke = Steps)]
    public void PendulumV1() => _pendulum.Iterate(Steps);

    [Benchmark(OperationsPerInvoke = Steps)]
    public void AcrobotV1() => _acrobot.Iterate(Steps);
}
