using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>The auth module's routes (<c>/auth/register</c>, <c>/auth/login</c>, …), described when the app maps the module.</summary>
internal static class AuthModuleDescription
{
    /// <summary>The tag of the module's operations.</summary>
    public const string Tag = "auth";

    /// <summary>Adds the module's paths under <paramref name="prefix"/> (replacing whatever the generator inferred for them).</summary>
    public static void Describe(OpenApiDocument document, string prefix)
    {
        prefix = "/" + prefix.Trim('/');
        var user = DocumentParts.Schema(document, "AuthUser", _ => Object(
            ("id", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }, true),
            ("username", new OpenApiSchema { Type = JsonSchemaType.String }, true),
            ("email", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null }, false),
            ("is_admin", new OpenApiSchema { Type = JsonSchemaType.Boolean | JsonSchemaType.Null }, false),
            ("created_at", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }, false)));
        var tokens = DocumentParts.Schema(document, "TokenPair", _ => Object(
            ("access_token", new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JWT for `Authorization: Bearer`." }, true),
            ("refresh_token", new OpenApiSchema { Type = JsonSchemaType.String, Description = "Single use: exchange it at refresh for a new pair." }, true),
            ("token_type", new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("Bearer")] }, true),
            ("expires_in", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "Seconds the access token lives." }, true)));
        var register = DocumentParts.Schema(document, "RegisterRequest", _ => Object(
            ("username", new OpenApiSchema { Type = JsonSchemaType.String }, true),
            ("email", new OpenApiSchema { Type = JsonSchemaType.String }, true),
            ("password", new OpenApiSchema { Type = JsonSchemaType.String, Format = "password" }, true)));
        var login = DocumentParts.Schema(document, "LoginRequest", _ => Object(
            ("username", new OpenApiSchema { Type = JsonSchemaType.String }, true),
            ("password", new OpenApiSchema { Type = JsonSchemaType.String, Format = "password" }, true)));
        var refresh = DocumentParts.Schema(document, "RefreshRequest", _ => Object(
            ("refresh_token", new OpenApiSchema { Type = JsonSchemaType.String }, true)));
        var password = DocumentParts.Schema(document, "PasswordChangeRequest", _ => Object(
            ("current_password", new OpenApiSchema { Type = JsonSchemaType.String, Format = "password" }, true),
            ("new_password", new OpenApiSchema { Type = JsonSchemaType.String, Format = "password", Description = "Checked by the same policy as at registration." }, true)));
        OpenApiResponse Throttled() => DocumentParts.Error(document, "Too many attempts from this client, or too many failed ones for this account; retry later.",
            DocumentParts.RetryAfter(required: true));

        document.Paths ??= new OpenApiPaths();
        Add(document, $"{prefix}/register", HttpMethod.Post, Operation(document, "auth_register", "Register a user", false,
            DocumentParts.Body(register), ("201", DocumentParts.Ok("The new user.", user)), ("409", null), ("422", null), ("429", null)));
        Add(document, $"{prefix}/login", HttpMethod.Post, Operation(document, "auth_login", "Log in", false,
            DocumentParts.Body(login), ("200", DocumentParts.Ok("A token pair.", tokens)), ("401", null), ("422", null), ("429", Throttled())));
        Add(document, $"{prefix}/refresh", HttpMethod.Post, Operation(document, "auth_refresh", "Exchange a refresh token", false,
            DocumentParts.Body(refresh), ("200", DocumentParts.Ok("A new token pair.", tokens)), ("401", null), ("422", null), ("429", null)));
        var logout = Operation(document, "auth_logout", "Log out", true,
            DocumentParts.Body(refresh, required: false, "Ends the session of this refresh token; without a body, the session of the bearer token."),
            ("204", DocumentParts.Empty("Logged out.")), ("401", null), ("422", null));
        logout.Security!.Insert(0, new OpenApiSecurityRequirement());
        Add(document, $"{prefix}/logout", HttpMethod.Post, logout);
        Add(document, $"{prefix}/password", HttpMethod.Post, Operation(document, "auth_change_password", "Change the caller's password", true,
            DocumentParts.Body(password, required: true, "Every session of the user ends, this one included; the answer is a token pair of a new session."),
            ("200", DocumentParts.Ok("A token pair of a new session.", tokens)), ("401", null),
            ("403", DocumentParts.Error(document, "The current password is incorrect.")), ("422", null), ("429", Throttled())));
        Add(document, $"{prefix}/me", HttpMethod.Get, Operation(document, "auth_me", "The current user", true, null,
            ("200", DocumentParts.Ok("The caller.", user)), ("401", null)));
        var revoke = Operation(document, "auth_revoke_sessions", "End every session of a user (admin)", true, null,
            ("204", DocumentParts.Empty("Sessions ended.")), ("401", null), ("403", null), ("404", null));
        revoke.Parameters = [DocumentParts.IdParameter("The user's id.")];
        Add(document, $"{prefix}/users/{{id}}/revoke-sessions", HttpMethod.Post, revoke);
        var delete = Operation(document, "auth_delete_user", "Delete a user (admin)", true, null,
            ("204", DocumentParts.Empty("Deleted.")), ("401", null), ("403", null), ("404", null));
        delete.Parameters = [DocumentParts.IdParameter("The user's id.")];
        Add(document, $"{prefix}/users/{{id}}", HttpMethod.Delete, delete);
    }

    private static OpenApiOperation Operation(OpenApiDocument document, string id, string summary, bool bearer, OpenApiRequestBody? body,
        params (string Status, OpenApiResponse? Response)[] responses)
    {
        var operation = new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            Security = DocumentParts.Security(document, bearer),
            RequestBody = body,
            Responses = new OpenApiResponses(),
        };
        foreach (var (status, response) in responses)
            operation.Responses[status] = response ?? DocumentParts.Error(document, Describe(status), status == "429" ? [DocumentParts.RetryAfter(required: true)] : []);
        if (body is not null)
        {
            operation.Responses["400"] = DocumentParts.Error(document, "The body is not a JSON object.");
            operation.Responses["413"] = DocumentParts.Error(document, "The body is too large.");
            operation.Responses["415"] = DocumentParts.Error(document, "The body is not application/json.");
        }
        operation.Responses["503"] = DocumentParts.Error(document, "Storage is unavailable; retry later.");
        return operation;
    }

    private static string Describe(string status) => status switch
    {
        "401" => "Credentials are missing or invalid.",
        "403" => "The caller is not an admin.",
        "404" => "No such user.",
        "409" => "The username or email is taken.",
        "422" => "Validation failed: `errors` maps each field to its messages.",
        _ => "Too many attempts from this client; retry later.",
    };

    private static void Add(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        if (!document.Paths.TryGetValue(path, out var item) || item is not OpenApiPathItem pathItem)
            document.Paths[path] = pathItem = new OpenApiPathItem();
        pathItem.Operations ??= new Dictionary<HttpMethod, OpenApiOperation>();
        pathItem.Operations[method] = operation;
    }

    private static OpenApiSchema Object(params (string Name, OpenApiSchema Schema, bool Required)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema, StringComparer.Ordinal),
        Required = new HashSet<string>(properties.Where(p => p.Required).Select(p => p.Name), StringComparer.Ordinal),
    };
}
