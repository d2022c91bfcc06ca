using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightS3.Http;

/// <summary>
/// The one mapping of failures to problem responses (<see cref="Problems.For"/>), as an ASP.NET Core
/// <see cref="IExceptionHandler"/>: a <see cref="LightS3Exception"/> thrown anywhere in the app — a LightS3 endpoint,
/// the auth module, a host's own route using LightS3's repositories — becomes the same problem+json its endpoint would
/// answer. Other exceptions are left to the host's handlers when it has any, and otherwise answered as a logged 500.
/// </summary>
public sealed class LightS3ExceptionHandler(ILogger<LightS3ExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (LightS3Exception or BadHttpRequestException)) return false;
        await Problems.For(exception, logger).ExecuteAsync(httpContext);
        return true;
    }
}
