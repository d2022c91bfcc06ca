namespace LightS3.Storage;

/// <summary>A store that wraps another (instrumentation, fault injection…), so the concrete store can be found.</summary>
public interface IObjectStoreDecorator
{
    /// <summary>The wrapped store.</summary>
    IObjectStore Inner { get; }
}

/// <summary>Finding the concrete store behind decorators.</summary>
public static class ObjectStoreDecorators
{
    /// <summary>The store of type <typeparamref name="T"/> behind any decorators, or null.</summary>
    public static T? Find<T>(this IObjectStore store) where T : class, IObjectStore => store.Capable<T>(_ => true);

    /// <summary>
    /// The outermost store of the chain that implements <typeparamref name="T"/> and says through
    /// <paramref name="serves"/> that it can serve it, or null. A decorator that forwards an optional capability
    /// (<see cref="Diagnostics.InstrumentedObjectStore"/> forwards backward listing and counting) is found before the
    /// store under it, so its calls are observed; a decorator that does not implement the capability is looked through.
    /// </summary>
    internal static T? Capable<T>(this IObjectStore store, Func<T, bool> serves) where T : class, IObjectStore
    {
        for (var current = store; ; current = ((IObjectStoreDecorator)current).Inner)
        {
            if (current is T found && serves(found)) return found;
            if (current is not IObjectStoreDecorator) return null;
        }
    }

    /// <summary>The store of the chain that lists backwards (<see cref="IReverseListingObjectStore"/>), or null (S3, files).</summary>
    internal static IReverseListingObjectStore? BackwardLister(this IObjectStore store) =>
        store.Capable<IReverseListingObjectStore>(s => s.CanListBackwards);

    /// <summary>The store of the chain that counts key ranges (<see cref="ICountingObjectStore"/>), or null (S3, files).</summary>
    internal static ICountingObjectStore? Counter(this IObjectStore store) =>
        store.Capable<ICountingObjectStore>(s => s.CanCount);
}
