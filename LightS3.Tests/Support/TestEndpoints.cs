using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;

namespace LightS3.Tests.Support;

public enum Genre { Fiction, Science, History }

/// <summary>The endpoint most HTTP tests use: every field type and constraint.</summary>
public class BookEndpoint : RestEndpoint<BookEndpoint>
{
    [Field(MinLength = 1, MaxLength = 100)] public string Title { get; set; } = "";
    [Field(MinLength = 1)] public string Author { get; set; } = "";
    [Field(Pattern = @"^\d{13}$", Unique = true)] public string? Isbn { get; set; }
    [Field(Ge = 0, DecimalPlaces = 2, Default = "0")] public decimal Price { get; set; }
    [Field(Ge = 1, Le = 10000)] public int? Pages { get; set; }
    [Field(Default = true)] public bool InStock { get; set; }
    [Field(Default = Genre.Fiction)] public Genre Genre { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public Guid? Ref { get; set; }
    public double? Rating { get; set; }
    public long? Sold { get; set; }
    [Field(Exclude = true)] public string Scratch { get; set; } = "";
}

[AllowedMethods(HttpVerbs.Get)]
public class ReadOnlyEndpoint : RestEndpoint<ReadOnlyEndpoint>
{
    public string Name { get; set; } = "";
}

[AllowedMethods(HttpVerbs.Get | HttpVerbs.Post)]
public class AppendOnlyEndpoint : RestEndpoint<AppendOnlyEndpoint>
{
    public string Name { get; set; } = "";
}

public sealed class PublicSerializer : Serializer
{
    public PublicSerializer()
    {
        Read = ["id", "name", "version"];
        Write = ["id", "name"];
    }
}

[Serializer(typeof(PublicSerializer))]
public class SecretiveEndpoint : RestEndpoint<SecretiveEndpoint>
{
    public string Name { get; set; } = "";
    public string InternalCode { get; set; } = "";
}

[Serializer(typeof(PublicSerializer))]
public class AlsoSecretiveEndpoint : RestEndpoint<AlsoSecretiveEndpoint>
{
    public string Name { get; set; } = "";
    public string Other { get; set; } = "";
}

[Serializer(Fields = ["id", "name"])]
public class InlineSerializerEndpoint : RestEndpoint<InlineSerializerEndpoint>
{
    public string Name { get; set; } = "";
    public string Hidden { get; set; } = "";
}

[UnknownFields(UnknownFieldPolicy.Ignore)]
public class LenientEndpoint : RestEndpoint<LenientEndpoint>
{
    public string Name { get; set; } = "";
}

/// <summary>Hooks: normalises input before validation, stamps the caller, hides drafts, refuses deletes of locked notes.</summary>
public class NoteEndpoint : RestEndpoint<NoteEndpoint>
{
    [Field(MinLength = 1)] public string Text { get; set; } = "";
    public string? Author { get; set; }
    public bool Draft { get; set; }
    public bool Locked { get; set; }

    public override Task<Record> CreateAsync(JsonObject input)
    {
        // typed access: trim the text through the model class, then let the framework validate and store
        var note = FromJson(input);
        note.Text = note.Text.Trim();
        note.Author = Context.Http.Request.Headers["X-User"].FirstOrDefault() ?? "anonymous";
        return base.CreateAsync(note.ToJson());
    }

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("draft", FilterOperator.Eq, false)));

    public override async Task DestroyAsync(string id, string? ifMatch)
    {
        var current = await RetrieveAsync(id);
        if (current is not null && FromRecord(current).Locked)
            throw new LightS3.Http.ApiProblemException(403, "this note is locked");
        await base.DestroyAsync(id, ifMatch);
    }
}

/// <summary>A whole-verb override: GET answers a custom shape.</summary>
public class CountingEndpoint : RestEndpoint<CountingEndpoint>
{
    public string Name { get; set; } = "";

    public override async Task<Microsoft.AspNetCore.Http.IResult> GetAsync(string? id)
    {
        if (id is not null) return await base.GetAsync(id);
        var all = await ListAsync(RecordQuery.All, new PageRequest.All(1000));
        return Microsoft.AspNetCore.Http.Results.Json(new { count = all.Records.Count });
    }
}
