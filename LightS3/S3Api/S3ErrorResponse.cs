using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>Writes S3's <c>&lt;Error&gt;</c> document (no body for HEAD, whose responses cannot carry one).</summary>
internal static class S3ErrorResponse
{
    public static async Task WriteAsync(HttpContext context, S3Exception error, string requestId)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = error.Status;
        if (HttpMethods.IsHead(context.Request.Method) || error.Status == 304) return;
        var doc = new XElement("Error",
            new XElement("Code", error.Code),
            new XElement("Message", error.Message),
            new XElement("Resource", context.Request.PathBase + context.Request.Path),
            new XElement("RequestId", requestId));
        await S3Xml.WriteAsync(response, doc, error.Status);
    }
}
