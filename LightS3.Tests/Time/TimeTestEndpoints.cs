using LightS3.Auth;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.Time;

/// <summary>Soft delete with a unique and an indexed field.</summary>
[SoftDelete]
[Filtering(Fields = ["tag"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 10)]
public class NoteEndpoint : RestEndpoint<NoteEndpoint>
{
    [Field(MinLength = 1, Unique = true)] public string Title { get; set; } = "";
    [Field(Index = true)] public string? Tag { get; set; }
}

/// <summary>Soft delete purged automatically one second after the delete.</summary>
[SoftDelete(Retention = "1s")]
public class DraftEndpoint : RestEndpoint<DraftEndpoint>
{
    [Field(MinLength = 1, Unique = true)] public string Title { get; set; } = "";
}

/// <summary>History of the last five versions, soft delete.</summary>
[History(Keep = 5)]
[SoftDelete]
public class PageEndpoint : RestEndpoint<PageEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    [Field(Unique = true)] public string? Slug { get; set; }
}

/// <summary>No time features: the baseline of request counts.</summary>
public class PlainEndpoint : RestEndpoint<PlainEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
}

/// <summary>History readable by the owner only (object-level permission).</summary>
[History]
[Authentication(Permission = typeof(IsOwner))]
public class DiaryEndpoint : RestEndpoint<DiaryEndpoint>
{
    public string Owner { get; set; } = "";
    [Field(MinLength = 1)] public string Text { get; set; } = "";

    public override Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }
}

/// <summary>Records expire two seconds after their last write.</summary>
[Ttl("2s")]
[TrackActors]
public class TicketEndpoint : RestEndpoint<TicketEndpoint>
{
    [Field(MinLength = 1, Unique = true)] public string Code { get; set; } = "";
}

/// <summary>Records expire at their own <c>expires_at</c>.</summary>
public class InviteEndpoint : RestEndpoint<InviteEndpoint>
{
    [Field(MinLength = 1)] public string Email { get; set; } = "";
    [ExpiresAt] public DateTime? ExpiresAt { get; set; }
}
