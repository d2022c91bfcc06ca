using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Auth;
using LightS3.Changes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;
using LightS3.Tests.Changes;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Auth;

/// <summary>
/// One visibility rule on every read surface (docs/auth.md, "Who sees what"): for the owner, another user and an anonymous
/// caller, each surface shows exactly the records <c>GET /route/{id}</c> shows — no more, no fewer — and never a hidden
/// field. The fixtures mix private and public records, one outside the queryset, and a field the read serializer hides.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
public sealed class VisibilityMatrixTests(TestStore store)
{
    // every GET route of an endpoint, and how the matrix below covers it: a new read surface fails
    // Every_read_surface_of_the_endpoint_is_in_the_matrix until it is added here and checked below
    private static readonly Dictionary<string, string> Surfaces = new(StringComparer.Ordinal)
    {
        ["/safes"] = "list, counts, filters, search, ordering, ?fields=",
        ["/safes/"] = "the same list (the route group maps it with and without the slash)",
        ["/safes/{id}"] = "retrieve: the reference every other surface is compared with",
        ["/safes/_export"] = "export",
        ["/safes/_changes"] = "change feed entries",
        ["/safes/_events"] = "realtime events: the same ChangeAudience.MaySeeAsync as _changes",
        ["/safes/{id}/_history"] = "history",
        ["/safes/{id}/_history/{version}"] = "history version",
    };

    private static readonly string Alice = Tokens.Create("alice");
    private static readonly string Bob = Tokens.Create("bob");
    private TestApp _app = null!;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal); // title → id

    private Task<TestApp> StartAppAsync() => TestApp.StartAsync(store, a => a.Register<SafeEndpoint>("/safes").Register<LinkEndpoint>("/links"), o =>
    {
        o.Jwt.Secret = Tokens.Secret;
        o.Jwt.Issuer = Tokens.Issuer;
        o.Jwt.Audience = Tokens.Audience;
        ChangeApps.Quick(o.Changes);
    });

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await StartAppAsync();
        foreach (var (title, owner, open, archived) in new[]
                 {
                     ("alpha", Alice, false, false), ("bravo", Alice, true, false), ("charlie", Alice, false, true),
                     ("delta", Bob, false, false), ("echo", Bob, true, false),
                 })
        {
            var created = await Send(HttpMethod.Post, "/safes", owner, new { title, @public = open, archived, code = $"CODE-{title}" });
            Assert.That(created.Status, Is.EqualTo(201), created.Body.ToJsonString());
            _ids[title] = created.Body["id"]!.GetValue<string>();
        }
        await ChangeApps.SettleAsync(_app.App.Services.GetRequiredService<ChangeFeed>().Options);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    public static IEnumerable<TestCaseData> Callers()
    {
        yield return new TestCaseData("alice", new[] { "alpha", "bravo", "echo" }).SetName("{m}(owner)");
        yield return new TestCaseData("bob", new[] { "bravo", "delta", "echo" }).SetName("{m}(other user)");
        yield return new TestCaseData("anonymous", new[] { "bravo", "echo" }).SetName("{m}(anonymous)");
    }

    private static string? TokenOf(string caller) => caller switch { "alice" => Alice, "bob" => Bob, _ => null };

    [TestCaseSource(nameof(Callers))]
    public async Task Retrieve_shows_what_the_rule_allows(string caller, string[] visible)
    {
        // the reference of the matrix is itself pinned: private records are 403 to others, the archived one is 404 to all
        foreach (var (title, id) in _ids)
        {
            var read = await Send(HttpMethod.Get, $"/safes/{id}", TokenOf(caller));
            var expected = visible.Contains(title) ? 200 : title == "charlie" ? 404 : 403;
            Assert.That(read.Status, Is.EqualTo(expected), $"{caller} GET {title}: {read.Body.ToJsonString()}");
            if (read.Status == 200) Assert.That(read.Body.ContainsKey("code"), Is.False, "the read serializer hides code");
        }
    }

    [TestCaseSource(nameof(Callers))]
    public async Task Lists_counts_filters_search_and_ordering_agree_with_retrieve(string caller, string[] visible)
    {
        var token = TokenOf(caller);
        var (all, count) = await ListAllAsync("/safes?page_size=2", token);
        Assert.That(all, Is.EquivalentTo(visible), "the list (over every page)");
        Assert.That(count, Is.EqualTo(visible.Length), "the page-number count");

        var (privates, _) = await ListAllAsync("/safes?public=false", token);
        Assert.That(privates, Is.EquivalentTo(visible.Where(t => t is "alpha" or "delta")), "a filter");
        var (searched, _) = await ListAllAsync("/safes?search=a", token);
        Assert.That(searched, Is.EquivalentTo(visible.Where(t => t.Contains('a'))), "search");
        var (ordered, _) = await ListAllAsync("/safes?ordering=-title", token);
        Assert.That(ordered, Is.EqualTo(visible.OrderByDescending(t => t, StringComparer.Ordinal)), "ordering");

        var projected = await Send(HttpMethod.Get, "/safes?fields=id,title&page_size=100", token);
        Assert.That(Titles(projected.Body["results"]!.AsArray()), Is.EquivalentTo(visible), "?fields=");
        Assert.That((await Send(HttpMethod.Get, "/safes?fields=code", token)).Status, Is.EqualTo(400), "a hidden field cannot be selected");
    }

    [TestCaseSource(nameof(Callers))]
    public async Task Export_agrees_with_retrieve(string caller, string[] visible)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/safes/_export");
        if (TokenOf(caller) is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.That(lines.Select(l => l["title"]!.GetValue<string>()), Is.EquivalentTo(visible));
        Assert.That(text, Does.Not.Contain("CODE-"));
    }

    [TestCaseSource(nameof(Callers))]
    public async Task Change_feed_entries_agree_with_retrieve(string caller, string[] visible)
    {
        var (changes, _) = await ChangeApps.ReadAllAsync(_app.Client, "/safes", token: TokenOf(caller));
        var byId = _ids.ToDictionary(p => p.Value, p => p.Key);
        // not even an entry without its record: the id, actor and time of an unreadable record are not the caller's to see
        Assert.That(changes.Select(c => byId[c["id"]!.GetValue<string>()]), Is.EquivalentTo(visible));
        Assert.That(changes.All(c => c["record"] is JsonObject), Is.True);
        Assert.That(changes.Select(c => c.ToJsonString()), Has.None.Contain("CODE-"));
    }

    [TestCaseSource(nameof(Callers))]
    public async Task History_agrees_with_retrieve(string caller, string[] visible)
    {
        foreach (var (title, id) in _ids)
        {
            var retrieve = await Send(HttpMethod.Get, $"/safes/{id}", TokenOf(caller));
            var history = await Send(HttpMethod.Get, $"/safes/{id}/_history", TokenOf(caller));
            var version = await Send(HttpMethod.Get, $"/safes/{id}/_history/1", TokenOf(caller));
            Assert.That(history.Status, Is.EqualTo(retrieve.Status), $"{caller} history of {title}");
            Assert.That(version.Status, Is.EqualTo(retrieve.Status), $"{caller} version 1 of {title}");
            if (version.Status == 200) Assert.That(version.Body.ContainsKey("code"), Is.False);
        }
    }

    [TestCaseSource(nameof(Callers))]
    public async Task Expand_agrees_with_retrieve(string caller, string[] visible)
    {
        // public links (everyone may read them) to each record their author could read
        foreach (var title in new[] { "alpha", "bravo", "echo" })
        {
            var link = await Send(HttpMethod.Post, "/links", Alice, new { label = $"to {title}", @public = true, safe = _ids[title] });
            Assert.That(link.Status, Is.EqualTo(201), link.Body.ToJsonString());
            var read = await Send(HttpMethod.Get, $"/links/{link.Body["id"]}?expand=safe", TokenOf(caller));
            Assert.That(read.Status, Is.EqualTo(200));
            var embedded = read.Body["expand"]!["safe"];
            Assert.That(embedded is not null, Is.EqualTo(visible.Contains(title)), $"{caller} expands the link to {title}: {read.Body.ToJsonString()}");
            Assert.That(read.Body.ToJsonString(), Does.Not.Contain("CODE-"));
        }
    }

    [Test]
    public async Task A_reference_to_a_record_the_caller_cannot_read_is_refused_as_if_it_did_not_exist()
    {
        var madeUp = RecordIds.New();
        var missing = await Send(HttpMethod.Post, "/links", Bob, new { label = "x", @public = false, safe = madeUp });
        Assert.That(missing.Status, Is.EqualTo(422));
        Assert.That(missing.Body["errors"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "safe" }), missing.Body.ToJsonString());
        foreach (var title in new[] { "alpha", "charlie" }) // private to alice; outside the queryset
        {
            var refused = await Send(HttpMethod.Post, "/links", Bob, new { label = "x", @public = false, safe = _ids[title] });
            Assert.That(refused.Status, Is.EqualTo(422), $"{title}: {refused.Body.ToJsonString()}");
            Assert.That(refused.Body["errors"]!.ToJsonString().Replace(_ids[title], "ID"), Is.EqualTo(missing.Body["errors"]!.ToJsonString().Replace(madeUp, "ID")),
                "word for word the answer for an id that does not exist");
        }
        // positive control: a record bob can read is accepted, by create and by update
        var ok = await Send(HttpMethod.Post, "/links", Bob, new { label = "ok", @public = false, safe = _ids["bravo"] });
        Assert.That(ok.Status, Is.EqualTo(201), ok.Body.ToJsonString());
        var update = await Send(HttpMethod.Patch, $"/links/{ok.Body["id"]}", Bob, new { safe = _ids["alpha"], version = 1 });
        Assert.That(update.Status, Is.EqualTo(422), "an update is judged the same way");
    }

    [Test]
    public async Task A_protect_conflict_names_only_the_referencing_records_the_caller_can_read()
    {
        await using var app = await StartAppAsync(); // its records would change what the matrix expects
        Task<(int Status, JsonObject Body)> Send(HttpMethod method, string path, string? token, object? body = null) => SendTo(app, method, path, token, body);
        var target = await Send(HttpMethod.Post, "/safes", Alice, new { title = "foxtrot", @public = true, archived = false, code = "CODE-f" });
        var id = target.Body["id"]!.GetValue<string>();
        var hidden = await Send(HttpMethod.Post, "/links", Bob, new { label = "bob's own", @public = false, safe = id });
        var shown = await Send(HttpMethod.Post, "/links", Bob, new { label = "bob's public", @public = true, safe = id });
        Assert.That(hidden.Status, Is.EqualTo(201));
        Assert.That(shown.Status, Is.EqualTo(201));
        var delete = await Send(HttpMethod.Delete, $"/safes/{id}", Alice);
        Assert.That(delete.Status, Is.EqualTo(409), delete.Body.ToJsonString());
        var text = delete.Body.ToJsonString();
        Assert.That(text, Does.Contain(shown.Body["id"]!.GetValue<string>()), "a referencing record alice can read is named");
        Assert.That(text, Does.Not.Contain(hidden.Body["id"]!.GetValue<string>()), "bob's private link is not");
        Assert.That(delete.Body["detail"]!.GetValue<string>(), Does.Contain("1 record you cannot read"));
    }

    [Test]
    public void Every_read_surface_of_the_endpoint_is_in_the_matrix()
    {
        var routes = _app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw == "/safes" || raw.StartsWith("/safes/", StringComparison.Ordinal)))
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
            .Select(e => e.RoutePattern.RawText!).Distinct().ToList();
        Assert.That(routes, Is.Not.Empty);
        Assert.That(routes, Is.SubsetOf(Surfaces.Keys), "a GET route of /safes that this matrix does not check: add it to Surfaces and to a test");
    }

    [Test]
    public void A_filter_search_or_ordering_on_a_field_the_read_serializer_hides_is_refused_at_start()
    {
        foreach (var filtering in new[]
                 {
                     new FilteringSpec(["code"], [], []), new FilteringSpec([], ["code"], []), new FilteringSpec([], [], ["code"]),
                 })
        {
            var model = new EndpointModel("/vault", "vault", Fields())
            {
                Source = "lightapi.yaml: endpoints[0]",
                Serializer = new SerializerSpec(["id", "title"], null),
                Filtering = filtering,
            };
            var problems = EndpointModelValidator.Problems(model);
            Assert.That(problems, Has.Some.Contain("'code'").And.Contain("read serializer hides").And.Contain("lightapi.yaml: endpoints[0]"));
        }
        // positive control: shown, the same field may be filtered on
        var shownModel = new EndpointModel("/vault", "vault", Fields())
        {
            Serializer = new SerializerSpec(["id", "title", "code"], null), Filtering = new FilteringSpec(["code"], ["code"], ["code"]),
        };
        Assert.That(EndpointModelValidator.Problems(shownModel), Is.Empty);
    }

    private static FieldModel[] Fields() =>
        [new FieldModel { Name = "title", Kind = FieldKind.String }, new FieldModel { Name = "code", Kind = FieldKind.String }];

    private async Task<(List<string> Titles, long? Count)> ListAllAsync(string path, string? token)
    {
        var titles = new List<string>();
        long? count = null;
        string? next = path;
        while (next is not null)
        {
            var page = await Send(HttpMethod.Get, next, token);
            Assert.That(page.Status, Is.EqualTo(200), page.Body.ToJsonString());
            count ??= page.Body["count"]?.GetValue<long>();
            titles.AddRange(Titles(page.Body["results"]!.AsArray()));
            Assert.That(page.Body.ToJsonString(), Does.Not.Contain("CODE-"));
            next = page.Body["next"]?.GetValue<string>();
        }
        return (titles, count);
    }

    private static IEnumerable<string> Titles(JsonArray results) => results.Select(r => r!["title"]!.GetValue<string>());

    private Task<(int Status, JsonObject Body)> Send(HttpMethod method, string path, string? token, object? body = null) =>
        SendTo(_app, method, path, token, body);

    private static async Task<(int Status, JsonObject Body)> SendTo(TestApp app, HttpMethod method, string path, string? token, object? body)
    {
        var response = await app.SendAsync(method, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject());
    }
}

/// <summary>Reads: public records to everyone, private ones to their owner. Writes: authenticated, on one's own records.</summary>
public sealed class PublicOrOwner : IPermission
{
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(context.Verb == HttpVerbs.Get || context.IsAuthenticated);

    public ValueTask<bool> HasObjectPermissionAsync(PermissionContext context, Record record) =>
        ValueTask.FromResult(context.Verb == HttpVerbs.Get && record.Data["public"]?.GetValue<bool>() == true
                             || record.Data["owner"]?.GetValue<string>() == context.User.Identity?.Name);

    public bool RequiresAuthentication => false;
}

/// <summary>Owner-stamped records with a field the read serializer hides, and a queryset that hides archived ones.</summary>
[Authentication(typeof(JwtAuthentication), Permission = typeof(PublicOrOwner))]
[ChangeFeed]
[History]
[Serializer(Read = ["id", "owner", "title", "public", "archived", "version", "created_at", "updated_at"])]
[Filtering(Fields = ["title", "public"], Search = ["title"], Ordering = ["title"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 20, MaxPageSize = 100)]
public sealed class SafeEndpoint : RestEndpoint<SafeEndpoint>
{
    public string Owner { get; set; } = "";
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    public bool Public { get; set; }
    public bool Archived { get; set; }
    public string Code { get; set; } = "";

    public override Task<Record> CreateAsync(JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("archived", FilterOperator.Eq, false)));
}

/// <summary>Links to safes, readable by the same rule.</summary>
[Authentication(typeof(JwtAuthentication), Permission = typeof(PublicOrOwner))]
public sealed class LinkEndpoint : RestEndpoint<LinkEndpoint>
{
    public string Owner { get; set; } = "";
    public string Label { get; set; } = "";
    public bool Public { get; set; }
    [Ref(typeof(SafeEndpoint))] public string? Safe { get; set; }

    public override Task<Record> CreateAsync(JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }
}
