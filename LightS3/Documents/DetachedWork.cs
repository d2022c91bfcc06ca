namespace LightS3.Documents;

/// <summary>
/// Best-effort cleanup that must not hold up the request that caused it (releasing markers after a failed write,
/// when the store may be the thing that is failing). What it leaves behind is repaired by the next claimer or by
/// <see cref="StorageCollector"/>, so its failures are deliberately swallowed.
/// </summary>
internal static class DetachedWork
{
    /// <summary>Runs <paramref name="work"/> in the background; its exceptions are observed and dropped.</summary>
    public static void Start(Func<Task> work) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch
            {
                // leftovers are orphans that repair themselves (see docs/locking.md)
            }
        });
}
