namespace RlExperiments.Tensors.Tests;

/// <summary>Runs a test body with this thread's matrix-product thread count set, and the default size threshold.</summary>
internal static class GemmThreadsOverride
{
    /// <summary>Runs <paramref name="test"/> with <paramref name="threads"/> threads for this thread's products and parallel work.</summary>
    public static void WithThreads(int threads, Action test)
    {
        GemmThreading.OverrideForThisThread(threads, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            test();
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }
}
