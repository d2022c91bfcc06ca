using LightS3.Auth;
using LightS3.Endpoints;
using LightS3.Tests.Support;

namespace LightS3.Tests.Changes;

/// <summary>A collection with a change feed and a filterable status.</summary>
[ChangeFeed]
[Filtering(Fields = ["status"])]
public class TaskEndpoint : RestEndpoint<TaskEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    public string? Status { get; set; }
}

/// <summary>The same without a feed: the baseline of request counts.</summary>
[Filtering(Fields = ["status"])]
public class ChorEndpoint : RestEndpoint<ChorEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    public string? Status { get; set; }
}

/// <summary>A feed whose records only their owner may read (object-level permission).</summary>
[ChangeFeed]
[Authentication(Permission = typeof(IsOwner))]
public class LetterEndpoint : RestEndpoint<LetterEndpoint>
{
    public string Owner { get; set; } = "";
    [Field(MinLength = 1)] public string Text { get; set; } = "";

    public override Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }
}

/// <summary>A feed over soft delete and history: delete, restore and purge are changes too.</summary>
[ChangeFeed]
[SoftDelete]
[History]
public class BinEndpoint : RestEndpoint<BinEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
}
