using Microsoft.AspNetCore.Http;

namespace LightS3.Http;

/// <summary>
/// Gives the bodiless error responses the pipeline produces (an unmatched path, a method routing does not know) the
/// human <c>detail</c> every LightS3 problem carries; problems that already have one are left alone.
/// </summary>
internal static class StatusCodeProblems
{
    public static void FillDetail(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.HttpContext.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "not found",
            StatusCodes.Status405MethodNotAllowed => $"method {request.Method} is not allowed here"
                + (context.HttpContext.Response.Headers.Allow is { Count: > 0 } allow ? $"; allowed: {allow}" : ""),
            var status => ReasonPhrases.Of(status),
        };
    }
}
