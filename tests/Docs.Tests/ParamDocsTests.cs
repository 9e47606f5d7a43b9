using ParamDocs;
using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Docs.Tests;

public class ParamDocsTests
{
    [Fact]
    public void The_parameter_reference_in_docs_algorithms_is_what_tools_ParamDocs_generates()
    {
        var pages = ParamDocsGenerator.Generate(AlgorithmRegistry.Default);
        var differences = ParamDocsGenerator.Differences(Path.Combine(RepositoryRoot.Path, ParamDocsGenerator.Folder), pages);
        differences.Should().BeEmpty($"docs/algorithms must match the code; regenerate it with `{ParamDocsGenerator.Command}` and commit the result");
    }

    [Fact]
    public void Every_registered_algorithm_has_a_page_with_every_params_field()
    {
        var pages = ParamDocsGenerator.Generate(AlgorithmRegistry.Default);
        foreach (var module in AlgorithmRegistry.Default.Modules)
        {
            var parameters = module.CreateDefault().ParamsRecord!;
            var page = pages[module.Name.ToLowerInvariant() + ".md"];
            foreach (var field in parameters.GetType().GetProperties())
                page.Should().Contain($"| `{field.Name}` |", $"{module.Name}'s page lists {field.Name}");
            pages["README.md"].Should().Contain($"[{module.Name}]");
        }
        // Defaults, validated ranges, sampling overrides, search-space ranges and other libraries' names are on the page.
        var ppo = pages["ppo.md"];
        ppo.Should().Contain("| `UpdateEpochs` | `int` | `10` | ≥ 1 | `RepeatPerCollect` | `update_epochs` [1, 20], default 10 | `n_epochs` | `SamplingConfig.repeat_per_collect` |");
        ppo.Should().Contain("| `Gamma` | `double` | `0.99` | [0, 1] |");
        pages["dqn.md"].Should().Contain("| `BufferSize` | `int` | `1000000` | ≥ 1 | `BufferSize` |");
    }
}
