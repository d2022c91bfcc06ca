using LightS3.Endpoints;
using LightS3.Query;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>
/// The query parameters soft delete adds (docs/history.md): <c>deleted</c> on the list (the trash) and <c>purge</c> on delete.
/// Clients such as the admin UI find a collection's trash by them.
/// </summary>
internal static class SoftDeleteParameters
{
    public static OpenApiParameter For(string action) => action == "list"
        ? new()
        {
            Name = QueryParameters.Deleted,
            In = ParameterLocation.Query,
            Required = false,
            Description = "`true`: soft-deleted records only, with `deleted_at` (admins only; 403 otherwise). `false` or absent: the live records.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
        }
        : new()
        {
            Name = TimeRequests.Purge,
            In = ParameterLocation.Query,
            Required = false,
            Description = "`true`: remove the record (soft-deleted or live) for good, with its history (admins only).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
        };
}
