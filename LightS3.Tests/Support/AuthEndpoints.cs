using LightS3.Auth;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;

namespace LightS3.Tests.Support;

/// <summary>GET open, writes authenticated, DELETE admin only.</summary>
[Authentication(typeof(JwtAuthentication), Permission = typeof(IsAuthenticated))]
[MethodPermission(HttpVerbs.Get, typeof(AllowAny))]
[MethodPermission(HttpVerbs.Delete, typeof(IsAdminUser))]
public class ArticleEndpoint : RestEndpoint<ArticleEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
}

/// <summary>Only the owner may change or delete a note; the owner is stamped from the token.</summary>
[Authentication(Permission = typeof(IsOwner))]
public class PrivateNoteEndpoint : RestEndpoint<PrivateNoteEndpoint>
{
    public string Owner { get; set; } = "";
    [Field(MinLength = 1)] public string Text { get; set; } = "";

    public override Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }
}

/// <summary>Object-level permission: authenticated, and owner of the record.</summary>
public sealed class IsOwner : IPermission
{
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(context.IsAuthenticated);

    public ValueTask<bool> HasObjectPermissionAsync(PermissionContext context, Record record) =>
        ValueTask.FromResult(record.Data["owner"]?.GetValue<string>() == context.User.Identity?.Name);
}
