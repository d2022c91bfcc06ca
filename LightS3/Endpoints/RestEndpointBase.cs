namespace LightS3;

/// <summary>
/// The request handler behind every endpoint. <see cref="RestEndpoint{TSelf}"/> subclasses override its
/// hooks; YAML endpoints use it as is. One instance serves one request.
/// The default behaviour is split by concern: <c>RestEndpointBase.Verbs.cs</c> (HTTP verb handlers) and
/// <c>RestEndpointBase.Operations.cs</c> (list, retrieve, create, update, destroy).
/// </summary>
public abstract partial class RestEndpointBase
{
    private EndpointContext? _context;

    /// <summary>The current request's context. Only available while a request is being handled.</summary>
    public EndpointContext Context =>
        _context ?? throw new InvalidOperationException("Context is only available while the endpoint handles a request.");

    internal void Attach(EndpointContext context) => _context = context;
}

/// <summary>The handler used for endpoints declared without a class (YAML).</summary>
internal sealed class DefaultEndpoint : RestEndpointBase;
