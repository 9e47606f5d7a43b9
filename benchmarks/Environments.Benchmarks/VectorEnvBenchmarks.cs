using BenchmarkDotNet.Attributes;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Environments.Benchmarks;

/// <summary>Vectors of 8 environments, sequential and parallel, with same-step auto-reset; results are per environment step (one vector step = 8).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class VectorEnvBenchmarks
{
    private const int N = 8;
    private const int VectorSteps = 5_000;
    private StepCase _cartPoleSeq = null!;
    private StepCase _cartPolePar = null!;
    private StepCase _acrobotSeq = null!;
    private StepCase _acrobotPar = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cartPoleSeq = StepCase.Vector("CartPole-v1", N, VectorMode.Sequential);
        _cartPolePar = StepCase.Vector("CartPole-v1", N, VectorMode.Parallel);
        _acrobotSeq = StepCase.Vector("Acrobot-v1", N, VectorMode.Sequential);
        _acrobotPar = StepCase.Vector("Acrobot-v1", N, VectorMode.Parallel);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cartPoleSeq.Dispose();
        _cartPolePar.Dispose();
        _acrobotSeq.Dispose();
        _acrobotPar.Dispose();
    }

    [Benchmark(OperationsPerInvoke = VectorSteps * N)]
    public void CartPoleV1Sequential() => _cartPoleSeq.Iterate(VectorSteps);

    [Benchmark(OperationsPerInvoke = VectorSteps * N)]
    public void CartPoleV1Parallel() => _cartPolePar.Iterate(VectorSteps);

    [Benchmark(OperationsPerInvoke = VectorSteps * N)]
    public void AcrobotV1Sequential() => _acrobotSeq.Iterate(VectorSteps);

    [Benchmark(OperationsPerInvoke = VectorSteps * N)]
    public void AcrobotV1Parallel() => _acrobotPar.Iterate(VectorSteps);
}
