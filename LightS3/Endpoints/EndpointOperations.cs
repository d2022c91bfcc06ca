using LightS3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LightS3.Endpoints;

/// <summary>
/// The operations of an endpoint model, one per verb and route (list, create, retrieve, update, partial_update,
/// delete), with the names and response metadata each is mapped with.
/// </summary>
internal sealed record EndpointOperations(string Method, bool OnItem, string Name, string Action)
{
    /// <summary>Verbs served on <c>{route}</c>.</summary>
    public const HttpVerbs CollectionVerbs = HttpVerbs.Get | HttpVerbs.Post;

    /// <summary>Verbs served on <c>{route}/{id}</c>.</summary>
    public const HttpVerbs ItemVerbs = HttpVerbs.Get | HttpVerbs.Put | HttpVerbs.Patch | HttpVerbs.Delete;

    /// <summary>The operations <paramref name="model"/> allows, named <c>{collection}_{action}</c>.</summary>
    public static IEnumerable<EndpointOperations> Of(EndpointModel model)
    {
        var name = NameOf(model);
        (HttpVerbs Verb, string Method, bool Item, string Action)[] all =
        [
            (HttpVerbs.Get, "GET", false, "list"),
            (HttpVerbs.Post, "POST", false, "create"),
            (HttpVerbs.Get, "GET", true, "retrieve"),
            (HttpVerbs.Put, "PUT", true, "update"),
            (HttpVerbs.Patch, "PATCH", true, "partial_update"),
            (HttpVerbs.Delete, "DELETE", true, "delete"),
        ];
        return all.Where(o => model.Methods.HasFlag(o.Verb)).Select(o => new EndpointOperations(o.Method, o.Item, $"{name}_{o.Action}", o.Action));
    }

    /// <summary>The prefix of the collection's operation names.</summary>
    public static string NameOf(EndpointModel model) => model.Collection.Replace('/', '_').Replace('-', '_');

    /// <summary>Adds what the operation accepts and produces.</summary>
    public void Describe(RouteHandlerBuilder endpoint)
    {
        const string json = "application/json";
        // no Accepts metadata: routing would answer a wrong content type with its own 415 (a problem without `detail`) before
        // the handler's; the request body schemas come from the model (LightS3/OpenApi)
        switch (Action)
        {
            case "list":
                endpoint.Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, json).ProducesProblem(StatusCodes.Status400BadRequest);
                break;
            case "create":
                endpoint.Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status201Created, json)
                    .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
                    .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
                    .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
                break;
            case "retrieve":
                endpoint.Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, json).Produces(StatusCodes.Status304NotModified)
                    .ProducesProblem(StatusCodes.Status404NotFound);
                break;
            case "delete":
                endpoint.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
                break;
            default:
                endpoint.Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, json)
                    .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
                    .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
                    .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
                break;
        }
        endpoint.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
