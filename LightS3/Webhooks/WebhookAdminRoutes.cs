using System.Text.Json.Nodes;
using LightS3.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Webhooks;

/// <summary>
/// Admin routes over dead letters (policy <see cref="Auth.Authorization.LightS3Policies.AdminUser"/>):
/// <c>GET /_lights3/webhooks/dead-letters</c> (<c>?limit=</c>, <c>?after=</c>), <c>GET …/{id}</c>,
/// <c>POST …/{id}/redeliver</c> (one signed attempt now: 200 and the letter removed when the target accepts it, else
/// 502 and the letter kept) and <c>DELETE …/{id}</c> (discard).
/// </summary>
internal static class WebhookAdminRoutes
{
    /// <summary>The route of the dead-letter list.</summary>
    public const string DeadLettersPath = "/_lights3/webhooks/dead-letters";

    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapLightS3Webhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(DeadLettersPath).WithTags("webhooks").RequireAuthorization(Auth.Authorization.LightS3Policies.AdminUser)
            .ExcludeFromDescription(); // operator routes, like the other /_lights3 ones: not part of the app's API contract
        Func<HttpContext, Task<IResult>> list = http => Guard(http, () => ListAsync(http));
        Func<HttpContext, Task<IResult>> get = http => Guard(http, () => GetAsync(http, Id(http)));
        Func<HttpContext, Task<IResult>> redeliver = http => Guard(http, () => RedeliverAsync(http, Id(http)));
        Func<HttpContext, Task<IResult>> discard = http => Guard(http, () => DiscardAsync(http, Id(http)));
        group.MapGet("", (Delegate)list).WithName("lights3_webhook_dead_letters");
        group.MapGet("/{id}", (Delegate)get).WithName("lights3_webhook_dead_letter");
        group.MapPost("/{id}/redeliver", (Delegate)redeliver).WithName("lights3_webhook_redeliver");
        group.MapDelete("/{id}", (Delegate)discard).WithName("lights3_webhook_dead_letter_discard");
        return routes;
    }

    private static string Id(HttpContext http) => (string?)http.Request.RouteValues["id"] ?? "";

    private static Task<IResult> Guard(HttpContext http, Func<Task<IResult>> handle) =>
        Problems.GuardAsync(http, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookAdminRoutes)), handle);

    private static WebhookDeadLetters Letters(HttpContext http) => http.RequestServices.GetRequiredService<WebhookDeadLetters>();

    private static async Task<IResult> ListAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > MaxLimit))
            return Problems.Create(StatusCodes.Status400BadRequest, $"limit must be a whole number from 1 to {MaxLimit}");
        var after = query["after"].ToString() is { Length: > 0 } a ? a : null;
        if (after is not null && !WebhookDeadLetters.IsId(after))
            return Problems.Create(StatusCodes.Status400BadRequest, "after must be a dead letter id (32 hex digits)");
        var (letters, more) = await Letters(http).ListAsync(after, limit, http.RequestAborted);
        var results = new JsonArray([.. letters.Select(View)]);
        return Results.Json(new JsonObject { ["results"] = results, ["next"] = more && letters.Count > 0 ? letters[^1].Id : null });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id) =>
        await Letters(http).GetAsync(id, http.RequestAborted) is { } letter ? Results.Json(View(letter)) : NotFound(id);

    private static async Task<IResult> DiscardAsync(HttpContext http, string id) =>
        await Letters(http).DeleteAsync(id, http.RequestAborted) ? Results.NoContent() : NotFound(id);

    private static async Task<IResult> RedeliverAsync(HttpContext http, string id)
    {
        var letters = Letters(http);
        if (await letters.GetAsync(id, http.RequestAborted) is not { } letter) return NotFound(id);
        var options = http.RequestServices.GetRequiredService<IOptions<WebhookOptions>>().Value;
        if (options.Targets.FirstOrDefault(t => t.EffectiveName == letter.Target) is not { } target)
            return Problems.Create(StatusCodes.Status409Conflict, $"webhook target '{letter.Target}' is no longer configured; discard the dead letter with DELETE");
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var attempt = await http.RequestServices.GetRequiredService<WebhookSender>()
            .SendAsync(target, letter.MessageId, System.Text.Encoding.UTF8.GetBytes(letter.Body), http.RequestAborted);
        WebhookMetrics.Count(target.EffectiveName, attempt.Delivered ? "delivered" : "failed");
        if (attempt.Delivered)
        {
            await letters.DeleteAsync(id, http.RequestAborted);
            return Results.Json(new JsonObject { ["delivered"] = true, ["status"] = attempt.Status, ["message_id"] = letter.MessageId });
        }
        await letters.WriteAsync(letter with { Attempts = letter.Attempts + 1, LastStatus = attempt.Status, LastError = attempt.Error, LastAttemptAt = time.GetUtcNow() }, http.RequestAborted);
        return Problems.Create(StatusCodes.Status502BadGateway, $"the target did not accept the re-delivery: {attempt.Error}; the dead letter is kept",
            extensions: new Dictionary<string, object?> { ["target_status"] = attempt.Status });
    }

    private static IResult NotFound(string id) => Problems.Create(StatusCodes.Status404NotFound, $"no dead letter '{id}'");

    /// <summary>A dead letter as the API shows it: its fields, with the body parsed as <c>payload</c>.</summary>
    private static JsonObject View(WebhookDeadLetter letter)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(letter)!.AsObject();
        node.Remove("body");
        try
        {
            node["payload"] = JsonNode.Parse(letter.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            node["payload"] = letter.Body;
        }
        return node;
    }
}
