namespace LightS3.Tests.Support;

/// <summary>
/// Follows redirects for an in-memory client as <see cref="HttpClientHandler"/> does for a socket one, so a test reads
/// the same responses either way: locations on the app go back through the test server, others (RGW) over the network.
/// </summary>
internal sealed class FollowRedirects(Uri app) : DelegatingHandler
{
    private const int MaxHops = 10;
    private static readonly HttpClient Network = new() { Timeout = TimeSpan.FromSeconds(60) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        for (var hop = 0; hop < MaxHops && IsRedirect(response) && response.Headers.Location is { } location; hop++)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            // 301/302/303 turn a POST into a GET without body (as browsers and HttpClientHandler do); 307/308 keep both
            var keep = (int)response.StatusCode is 307 or 308;
            var next = new HttpRequestMessage(keep ? request.Method : (request.Method == HttpMethod.Head ? HttpMethod.Head : HttpMethod.Get), target);
            if (keep && request.Content is not null) next.Content = request.Content;
            response.Dispose();
            request = next;
            response = target.Authority == app.Authority
                ? await base.SendAsync(next, cancellationToken)
                : await Network.SendAsync(next, cancellationToken);
        }
        return response;
    }

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is 301 or 302 or 303 or 307 or 308;
}
