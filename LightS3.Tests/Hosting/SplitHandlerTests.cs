using System.Net;
using System.Text.Json.Nodes;
using FluentValidation;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Hosting;

/// <summary>A plain record class: fields and list options, no framework base.</summary>
[Filtering(Fields = ["shelf"], Ordering = ["title"])]
public sealed class ShelvedBook
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    [Field(Index = true)] public string Shelf { get; set; } = "";
    [Field(Ge = 0)] public int Copies { get; set; }
    public string? Catalogued { get; set; }
}

/// <summary>A service the handler gets by constructor injection.</summary>
public sealed class Cataloguer
{
    public string Stamp(string title) => $"catalogued:{title.ToUpperInvariant()}";
}

/// <summary>The handler, apart from its record type; a handler attribute wins over the record's.</summary>
[Pagination(PaginationStyle.PageNumber, PageSize = 2)]
public sealed class ShelvedBookHandler(Cataloguer cataloguer) : RestHandler<ShelvedBook>
{
    public ShelvedBookHandler() : this(null!) { }

    public override Task<Record> CreateAsync(JsonObject input)
    {
        var book = FromJson(input);                       // typed, already validated
        book.Catalogued = cataloguer.Stamp(book.Title);
        return base.CreateAsync(ToJson(book));
    }
}

/// <summary>Validators are written against the record type.</summary>
public sealed class ShelvedBookValidator : AbstractValidator<ShelvedBook>
{
    public ShelvedBookValidator() => RuleFor(b => b.Copies).LessThanOrEqualTo(3).When(b => b.Shelf == "rare").WithMessage("rare books come in at most 3 copies");
}

/// <summary>RestHandler&lt;TRecord&gt;: the record type and the handler as two classes, on the same pipeline.</summary>
public sealed class SplitHandlerTests
{
    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(TestStore.Memory, a => a.Register<ShelvedBookHandler>("/shelved"), configureServices: s =>
        {
            s.AddSingleton<Cataloguer>();
            s.AddSingleton<IValidator<ShelvedBook>, ShelvedBookValidator>();
        });

    [Test]
    public async Task Fields_come_from_the_record_class_and_the_injected_handler_runs_its_hook()
    {
        await using var app = await StartAsync();
        var created = await app.CreateAsync("/shelved", new { title = "Dune", shelf = "sf", copies = 2 });
        Assert.That(created["catalogued"]!.GetValue<string>(), Is.EqualTo("catalogued:DUNE"), "the handler's injected service ran");
        Assert.That(created["version"]!.GetValue<long>(), Is.EqualTo(1), "automatic fields as for any endpoint");

        var invalid = await app.PostAsync("/shelved", new { title = "", shelf = "sf", copies = -1 });
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = (await invalid.JsonAsync())["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "title", "copies" }), "the record class's attribute rules");
    }

    [Test]
    public async Task A_validator_of_the_record_type_joins_the_422()
    {
        await using var app = await StartAsync();
        var response = await app.PostAsync("/shelved", new { title = "Codex", shelf = "rare", copies = 5 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await response.JsonAsync())["errors"]!["copies"]![0]!.GetValue<string>(), Is.EqualTo("rare books come in at most 3 copies"));
    }

    [Test]
    public async Task Class_attributes_come_from_the_record_and_the_handler_and_the_handlers_win()
    {
        await using var app = await StartAsync();
        foreach (var (title, shelf) in new[] { ("C", "sf"), ("A", "sf"), ("B", "sf"), ("D", "history") })
            await app.CreateAsync("/shelved", new { title, shelf, copies = 1 });
        var page = await (await app.Client.GetAsync("/shelved?shelf=sf&ordering=title")).JsonAsync();
        Assert.That(page["count"]!.GetValue<int>(), Is.EqualTo(3), "the record's [Filtering] and the handler's page-number [Pagination]");
        Assert.That(page["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "A", "B" }), "page size 2 from the handler");
        Assert.That((await app.Client.GetAsync("/shelved?copies=1")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "only the declared filters");
    }
}
