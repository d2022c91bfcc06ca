using LightS3.Auth;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;
using LightS3.Tests.Support;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Relations;

// A small library with one reference of each on_delete rule:
//   authors.publisher -> /publishers (set_null)   books.author -> /authors (cascade)
//   books.genre -> /genres (protect)               reviews.book -> /books (cascade, a second level)

public sealed class PublisherEndpoint : RestEndpoint<PublisherEndpoint>
{
    [Field(MinLength = 1)] public string Name { get; set; } = "";
}

public sealed class GenreEndpoint : RestEndpoint<GenreEndpoint>
{
    [Field(MinLength = 1)] public string Name { get; set; } = "";
}

public sealed class AuthorEndpoint : RestEndpoint<AuthorEndpoint>
{
    [Field(MinLength = 1)] public string Name { get; set; } = "";
    [Ref(typeof(PublisherEndpoint), OnDelete = OnDelete.SetNull)] public string? Publisher { get; set; }
}

[Filtering(Fields = ["author", "title"])]
[Pagination(PaginationStyle.Cursor, PageSize = 20, MaxPageSize = 100)]
public sealed class BookEndpoint : RestEndpoint<BookEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    [Ref("/authors", OnDelete = OnDelete.Cascade)] public string? Author { get; set; }
    [Ref(typeof(GenreEndpoint))] public string? Genre { get; set; }
}

public sealed class ReviewEndpoint : RestEndpoint<ReviewEndpoint>
{
    [Field(MinLength = 1)] public string Text { get; set; } = "";
    [Ref(typeof(BookEndpoint), OnDelete = OnDelete.Cascade)] public string Book { get; set; } = "";
}

/// <summary>The same library in YAML.</summary>
public static class LibraryYaml
{
    public const string Text = """
        endpoints:
          - route: /publishers
            fields:
              name: { type: str, min_length: 1 }
          - route: /genres
            fields:
              name: { type: str, min_length: 1 }
          - route: /authors
            fields:
              name: { type: str, min_length: 1 }
              publisher: { type: ref, to: /publishers, on_delete: set_null, optional: true }
          - route: /books
            fields:
              title: { type: str, min_length: 1 }
              author: { type: ref, to: /authors, on_delete: cascade, optional: true }
              genre: { type: ref, to: /genres, optional: true }
            meta:
              filtering: { fields: [author, title] }
              pagination: { style: cursor, page_size: 20, max_page_size: 100 }
          - route: /reviews
            fields:
              text: { type: str, min_length: 1 }
              book: { type: ref, to: /books, on_delete: cascade }
        """;

    public static IReadOnlyList<EndpointModel> Models() => YamlConfigReader.Read(Text, "library.yaml", _ => null).Endpoints.Select(e => e.Model).ToList();
}

public static class Library
{
    public static void Register(LightS3App app, Front front)
    {
        if (front == Front.Yaml)
        {
            foreach (var model in LibraryYaml.Models()) app.RegisterModel(model);
            return;
        }
        app.Register<PublisherEndpoint>("/publishers");
        app.Register<GenreEndpoint>("/genres");
        app.Register<AuthorEndpoint>("/authors");
        app.Register<BookEndpoint>("/books");
        app.Register<ReviewEndpoint>("/reviews");
    }
}

// ---- what expand must not leak ----

/// <summary>Nobody may read it (endpoint level).</summary>
public sealed class Nobody : IPermission
{
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(false);
    public bool RequiresAuthentication => false;
}

/// <summary>Anyone may read a record, unless its name starts with "secret" (object level).</summary>
public sealed class NoSecrets : IPermission
{
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(true);
    public ValueTask<bool> HasObjectPermissionAsync(PermissionContext context, Record record) =>
        ValueTask.FromResult(record.Data["name"]?.GetValue<string>().StartsWith("secret", StringComparison.Ordinal) != true);
    public bool RequiresAuthentication => false;
}

[Authentication(Permission = typeof(Nobody))]
public sealed class VaultEndpoint : RestEndpoint<VaultEndpoint>
{
    public string Name { get; set; } = "";
}

[Authentication(Permission = typeof(NoSecrets))]
public sealed class AgentEndpoint : RestEndpoint<AgentEndpoint>
{
    public string Name { get; set; } = "";
}

/// <summary>Its queryset hides archived records, and its serializer hides the code.</summary>
[Serializer(Read = ["id", "name"])]
public sealed class DeskEndpoint : RestEndpoint<DeskEndpoint>
{
    public string Name { get; set; } = "";
    public string Code { get; set; } = "";
    public bool Archived { get; set; }

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("archived", FilterOperator.Eq, false)));
}

/// <summary>A note references one record of each guarded endpoint.</summary>
public sealed class DossierEndpoint : RestEndpoint<DossierEndpoint>
{
    public string Title { get; set; } = "";
    [Ref(typeof(VaultEndpoint))] public string? Vault { get; set; }
    [Ref(typeof(AgentEndpoint))] public string? Agent { get; set; }
    [Ref(typeof(DeskEndpoint))] public string? Desk { get; set; }
}

/// <summary>Reads only dossiers titled "public" (object level), for back-references.</summary>
public sealed class PublicOnly : IPermission
{
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(true);
    public ValueTask<bool> HasObjectPermissionAsync(PermissionContext context, Record record) =>
        ValueTask.FromResult(record.Data["title"]?.GetValue<string>() == "public");
    public bool RequiresAuthentication => false;
}

/// <summary>Memos about an agent; only public ones may be read.</summary>
[Authentication(Permission = typeof(PublicOnly))]
public sealed class MemoEndpoint : RestEndpoint<MemoEndpoint>
{
    public string Title { get; set; } = "";
    [Ref(typeof(AgentEndpoint))] public string? Agent { get; set; }
}
