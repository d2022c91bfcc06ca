namespace LightS3.Documents;

/// <summary>
/// Best-effort cleanup that must not hold up the request that caused it (releasing markers after a failed write, or
/// after a committed one when the store stalls). What it leaves behind is repaired by the next claimer or by
/// <see cref="Hosting.StorageCollector"/>, so its failures are deliberately swallowed.
/// </summary>
internal static class DetachedWork
{
    /// <summary>Runs <paramref name="work"/> in the background, not waiting for it at all.</summary>
    public static void Start(Func<Task> work) => _ = Task.Run(() => Swallowing(work));

    /// <summary>
    /// Runs <paramref name="work"/> and waits for it at most <paramref name="budget"/>; past that it goes on in the
    /// background. Work that has nothing to do finishes synchronously: no thread hop, no timer.
    /// </summary>
    public static async Task RunWithinAsync(Func<Task> work, TimeSpan budget)
    {
        var task = Swallowing(work);
        if (task.IsCompleted) return;
        try
        {
            await task.WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            // still running: it finishes (or fails quietly) on its own
        }
    }

    /// <summary>The work as a task that never faults: leftovers are orphans that repair themselves (see docs/locking.md).</summary>
    private static async Task Swallowing(Func<Task> work)
    {
        try
        {
            await work();
        }
        catch
        {
        }
    }
}
