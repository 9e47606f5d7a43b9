namespace RlExperiments.Tensors.Tests;

/// <summary>
/// Tests that assert work really runs on a second thread (a rendezvous between parts, a fork seen on a worker) need the
/// engine's one worker pool to themselves: while another test's job holds it, parts run one after another on the
/// caller, by design. xUnit runs a collection with parallelisation disabled alone, after the others.
/// </summary>
[CollectionDefinition(nameof(WorkerPoolCollection), DisableParallelization = true)]
public sealed class WorkerPoolCollection;
