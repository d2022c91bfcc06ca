using LightS3.Endpoints;
using LightS3.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>
/// The serialized document, built once (on first request) and served from memory after that: generating it walks every
/// endpoint and runs the transformers, which is not work for each request. It is rebuilt only when endpoints were
/// registered or the auth module mapped since.
/// </summary>
internal sealed class OpenApiDocumentCache(IServiceProvider services, EndpointRegistry registry)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int Stamp, byte[] Json)? _current;

    /// <summary>How many times the document was generated (for tests and diagnostics).</summary>
    public int Generations { get; private set; }

    /// <summary>The document as UTF-8 OpenAPI 3.1 JSON.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken = default)
    {
        var stamp = Stamp();
        if (_current is { } hit && hit.Stamp == stamp) return hit.Json;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && again.Stamp == stamp) return again.Json;
            var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiSettings.DocumentName);
            var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
            var json = System.Text.Encoding.UTF8.GetBytes(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken));
            Generations++;
            _current = (stamp, json);
            return json;
        }
        finally
        {
            _gate.Release();
        }
    }

    private int Stamp() =>
        registry.Endpoints.Count * 2 + (services.GetRequiredService<Auth.Module.MappedAuthModule>().Service is null ? 0 : 1);
}
