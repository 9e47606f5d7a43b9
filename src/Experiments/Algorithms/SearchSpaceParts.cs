using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>Pieces the algorithms' search spaces share: the boolean choices and ARLBench's network (NAS) space.</summary>
internal static class SearchSpaceParts
{
    /// <summary>The values of a boolean categorical hyperparameter.</summary>
    public static readonly object[] Bools = { true, false };

    /// <summary>ARLBench's NAS space: activation {tanh, relu} (tanh) and hidden_size 1..<paramref name="maxHidden"/>.</summary>
    public static ConfigurationSpace Nas(string name, long maxHidden, long defaultHidden) => new ConfigurationSpace(name)
        .Add(
            new CategoricalHyperparameter("activation", new object[] { "tanh", "relu" }, "tanh"),
            new IntegerHyperparameter("hidden_size", 1, maxHidden, defaultHidden));
}
