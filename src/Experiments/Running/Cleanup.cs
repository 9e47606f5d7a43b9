namespace RlExperiments.Experiments;

/// <summary>
/// Clean-up that never hides the error it cleans up after: with an earlier error, the clean-up's own errors are
/// attached to it (<see cref="Exception.Data"/>, key <c>"CleanupErrors"</c>) and swallowed; without one, every action
/// still runs and the first clean-up error is thrown.
/// </summary>
internal static class Cleanup
{
    /// <summary>Runs every action in order; see the class remarks for what happens to their errors.</summary>
    public static void Run(Exception? earlier, params Action[] actions)
    {
        Exception? first = null;
        foreach (var action in actions)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                if (earlier is null) first ??= ex;
                else Attach(earlier, ex);
            }
        }
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }

    private static void Attach(Exception earlier, Exception cleanup)
    {
        try
        {
            var list = earlier.Data["CleanupErrors"] as string ?? "";
            earlier.Data["CleanupErrors"] = list + (list.Length == 0 ? "" : " | ") + $"{cleanup.GetType().Name}: {cleanup.Message}";
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException) { /* Data may be read-only */ }
    }
}
