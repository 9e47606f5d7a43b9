
namespace RlExperiments.Experiments.Callbacks;

internal static class LambdaNames
{
    public static string Describe(Delegate d) =>
        d is null ? "null" : $"lambda {d.Method.DeclaringType?.Name ?? "?"}.{d.Method.Name}";
}
