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
    public static T? Find<T>(this IObjectStore store) where T : class, IObjectStore
    {
        for (var current = store; ; current = ((IObjectStoreDecorator)current).Inner)
        {
            if (current is T found) return found;
            if (current is not IObjectStoreDecorator) return null;
        }
    }
}
