using System.Text.Json.Nodes;
using LightS3.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Auth.Module;

/// <summary>
/// The module's routes: <c>POST /auth/register</c>, <c>/auth/login</c>, <c>/auth/refresh</c>, <c>/auth/logout</c>,
/// <c>POST /auth/password</c>, <c>GET /auth/me</c>, and for admins <c>POST /auth/users/{id}/revoke-sessions</c> and
/// <c>DELETE /auth/users/{id}</c>. Register, login, refresh and password are rate limited per client address; login and
/// password also per account (<see cref="AccountThrottle"/>).
/// </summary>
internal static class AuthModuleEndpoints
{
    /// <summary>The rate-limit policy of the credential endpoints.</summary>
    public const string RateLimitPolicy = "lights3-auth";

    /// <summary>Maps the module (opt-in). Fails at once when no HS256 secret is configured.</summary>
    public static IEndpointRouteBuilder MapAuthModule(this IEndpointRouteBuilder routes)
    {
        var service = routes.ServiceProvider.GetRequiredService<AuthService>();
        routes.ServiceProvider.GetRequiredService<MappedAuthModule>().Mapped(service);
        var options = routes.ServiceProvider.GetRequiredService<IOptions<AuthModuleOptions>>().Value;
        var logger = routes.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.AuthModule");
        var group = routes.MapGroup(options.RoutePrefix);

        RequestDelegate Handle(Func<HttpContext, Task<IResult>> action) => async http =>
        {
            IResult result;
            try
            {
                result = await action(http);
            }
            catch (AccountThrottledException e)
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                result = Problems.Create(StatusCodes.Status429TooManyRequests, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
            {
                result = Problems.For(e, logger);
                if (e is ApiProblemException { Status: StatusCodes.Status401Unauthorized }) Challenge(http);
            }
            await result.ExecuteAsync(http);
        };

        group.MapPost("/register", Handle(async http =>
        {
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            var user = await service.RegisterAsync(Text(body, "username"), Text(body, "email"), Text(body, "password"), http.RequestAborted);
            return JsonResults.Bytes(StatusCodes.Status201Created, Documents.RecordCodec.Encode(AuthService.Public(user)));
        })).RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/login", Handle(async http =>
        {
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            return JsonResults.Ok(await service.LoginAsync(Text(body, "username"), Text(body, "password"), http.RequestAborted));
        })).RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/refresh", Handle(async http =>
        {
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            return JsonResults.Ok(await service.RefreshAsync(Text(body, "refresh_token"), http.RequestAborted));
        })).RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/logout", Handle(async http =>
        {
            if (!string.IsNullOrEmpty(http.Request.ContentType)) // a body (possibly chunked) names the refresh token
                await service.LogoutAsync(Text(await RequestBody.ReadObjectAsync(http, 16 * 1024), "refresh_token"), http.RequestAborted);
            else
                await service.RevokeSessionAsync((await Caller(http)).FindFirst(AuthService.SessionClaim)?.Value ?? throw Unauthorized(), http.RequestAborted);
            return Results.NoContent();
        }));

        group.MapPost("/password", Handle(async http =>
        {
            var user = await Caller(http);
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            return JsonResults.Ok(await service.ChangePasswordAsync(user.FindFirst("sub")?.Value ?? "",
                Text(body, "current_password"), Text(body, "new_password"), http.RequestAborted));
        })).RequireRateLimiting(RateLimitPolicy);

        group.MapGet("/me", Handle(async http =>
        {
            var user = await Caller(http);
            return await service.DescribeAsync(user.FindFirst("sub")?.Value ?? "", http.RequestAborted) is { } me
                ? JsonResults.Ok(me)
                : throw Unauthorized();
        }));

        group.MapPost("/users/{id}/revoke-sessions", Handle(async http =>
        {
            await Admin(http);
            await service.RevokeAllSessionsAsync(Id(http), http.RequestAborted);
            return Results.NoContent();
        }));

        // user administration for admins (the admin UI's Users screen): the same rules as `lights3 users`
        group.MapGet("/users", Handle(async http =>
        {
            await Admin(http);
            return JsonResults.Ok(new JsonObject { ["results"] = new JsonArray([.. await service.ListUsersAsync(http.RequestAborted)]) });
        }));

        group.MapPost("/users", Handle(async http =>
        {
            await Admin(http);
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            var user = await service.CreateUserAsync(Text(body, "username"), Text(body, "email"), Text(body, "password"), Flag(body, "is_admin", false), http.RequestAborted);
            return JsonResults.Bytes(StatusCodes.Status201Created, Documents.RecordCodec.Encode(user));
        }));

        group.MapPut("/users/{id}/admin", Handle(async http =>
        {
            await Admin(http);
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            var id = Id(http);
            await service.SetAdminAsync(id, Flag(body, "is_admin", null), http.RequestAborted);
            return JsonResults.Ok(await service.DescribeAsync(id, http.RequestAborted) ?? throw new RecordNotFoundException(id));
        }));

        group.MapPost("/users/{id}/password", Handle(async http =>
        {
            await Admin(http);
            var body = await RequestBody.ReadObjectAsync(http, 16 * 1024);
            await service.ResetPasswordAsync(Id(http), Text(body, "new_password"), http.RequestAborted);
            return Results.NoContent();
        }));

        group.MapDelete("/users/{id}", Handle(async http =>
        {
            await Admin(http);
            await service.DeleteUserAsync(Id(http), http.RequestAborted);
            return Results.NoContent();
        }));
        return routes;
    }

    private static string Text(JsonObject body, string name)
    {
        if (body[name] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String)
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "validation failed",
                new Dictionary<string, string[]> { [name] = ["is required (a string)"] });
        try
        {
            return v.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to decode a lone surrogate escape ("\ud800") or invalid UTF-8 bytes
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"malformed JSON: '{name}' is not valid Unicode text (invalid UTF-8 or a lone surrogate)");
        }
    }

    /// <summary>A boolean member; absent is <paramref name="absent"/> (null: required).</summary>
    private static bool Flag(JsonObject body, string name, bool? absent) => body[name] switch
    {
        null when absent is { } value => value,
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "validation failed",
            new Dictionary<string, string[]> { [name] = [absent is null ? "is required (true or false)" : "must be true or false"] }),
    };

    private static string Id(HttpContext http) =>
        Documents.RecordIds.TryNormalize(http.Request.RouteValues["id"] as string, out var id) ? id : throw new RecordNotFoundException("");

    private static async Task<System.Security.Claims.ClaimsPrincipal> Caller(HttpContext http)
    {
        var result = await http.AuthenticateAsync(JwtAuthenticationHandler.SchemeName);
        if (!result.Succeeded)
            throw result.None ? Unauthorized() : new ApiProblemException(StatusCodes.Status401Unauthorized, "Authentication credentials invalid.");
        http.User = result.Principal;
        return result.Principal;
    }

    private static async Task Admin(HttpContext http)
    {
        var user = await Caller(http);
        var jwt = http.RequestServices.GetRequiredService<IOptions<LightS3Options>>().Value.Jwt;
        if (!TokenClaims.HasAdminClaim(user, jwt.AdminClaim))
            throw new ApiProblemException(StatusCodes.Status403Forbidden, Problems.PermissionDenied);
    }

    /// <summary>RFC 9110: a 401 names its scheme; a rejected token also says why (never echoing the token).</summary>
    private static void Challenge(HttpContext http) =>
        http.Response.Headers.WWWAuthenticate = http.Items[JwtAuthenticationHandler.FailureItem] is string reason
            ? $"Bearer error=\"invalid_token\", error_description=\"{reason}\""
            : "Bearer";

    private static ApiProblemException Unauthorized() => new(StatusCodes.Status401Unauthorized, "Authentication credentials were not provided.");
}
