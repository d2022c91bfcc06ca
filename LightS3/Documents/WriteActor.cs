namespace LightS3.Documents;

/// <summary>
/// Who is writing in the current async flow: the caller's <c>sub</c>, set by the endpoint runtime once a request is
/// authorized, read by <see cref="RecordRepository"/> for <c>created_by</c>/<c>updated_by</c> and history. Code that
/// writes outside a request (a job, the CLI) may set its own with <see cref="Begin"/>; null means anonymous.
/// </summary>
public static class WriteActor
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The actor of the current flow, or null.</summary>
    public static string? Name => Current.Value;

    /// <summary>The caller's <c>sub</c> (or name identifier), or null when anonymous.</summary>
    public static string? ActorOf(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? (user.FindFirst("sub") ?? user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier))?.Value
            : null;

    /// <summary>Makes <paramref name="actor"/> the actor of the current flow until the returned scope is disposed.</summary>
    public static IDisposable Begin(string? actor)
    {
        var previous = Current.Value;
        Current.Value = actor;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
