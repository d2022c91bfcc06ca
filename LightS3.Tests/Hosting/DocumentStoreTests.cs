using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Hosting;

/// <summary>
/// <see cref="IDocumentStore"/>: one repository per collection in DI, the same one the HTTP endpoints, the auth module
/// and the background jobs use (docs/aspnetcore.md, "Your own code: the document store").
/// </summary>
public sealed class DocumentStoreTests
{
    /// <summary>The docs/aspnetcore.md sample: user code writing through the store.</summary>
    private sealed class Shelving(IDocumentStore documents)
    {
        public async Task<Record> RetitleAsync(string id, string title)
        {
            var books = documents.For<BookEndpoint>();
            var book = await books.GetAsync(id) ?? throw new RecordNotFoundException(id);
            var fields = book.Data.DeepClone().AsObject();
            fields["title"] = title;
            return await books.ReplaceAsync(book, fields);
        }
    }

    [TestCase(TestStore.Memory)]
    [TestCase(TestStore.S3, Category = External.Category)]
    public async Task User_code_reads_and_writes_the_records_the_endpoints_serve_through_the_same_repository(TestStore kind)
    {
        await using var app = await TestApp.StartAsync(kind, a => a.Register<BookEndpoint>("/books"),
            configureServices: s => s.AddSingleton<Shelving>());
        var documents = app.App.Services.GetRequiredService<IDocumentStore>();
        var registry = app.App.Services.GetRequiredService<EndpointRegistry>();

        Assert.That(documents.For<BookEndpoint>(), Is.SameAs(registry.Get("/books").Repository), "no second repository");
        Assert.That(documents.Collection("books"), Is.SameAs(documents.For<BookEndpoint>()));

        var created = await app.CreateAsync("/books", new { title = "Dune", author = "Herbert", isbn = "9780441013593" });
        var id = created["id"]!.GetValue<string>();
        var written = await app.App.Services.GetRequiredService<Shelving>().RetitleAsync(id, "Dune Messiah");
        Assert.That(written.Version, Is.EqualTo(2));

        var served = await app.Client.GetFromJsonAsync<JsonObject>($"/books/{id}");
        Assert.That(served!["title"]!.GetValue<string>(), Is.EqualTo("Dune Messiah"), "the endpoint serves what user code wrote");
        Assert.That(served["version"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(served["isbn"]!.GetValue<string>(), Is.EqualTo("9780441013593"));

        // the unique value is still claimed by the record user code rewrote
        var duplicate = await app.PostAsync("/books", new { title = "Copy", author = "x", isbn = "9780441013593" });
        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_record_type_of_a_split_handler_finds_its_collection_and_an_unregistered_type_is_a_clear_error()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ShelvedBookHandler>("/shelved").Register<BookEndpoint>("/books"),
            configureServices: s => s.AddSingleton<Cataloguer>());
        var documents = app.App.Services.GetRequiredService<IDocumentStore>();

        Assert.That(documents.For<ShelvedBook>().Model.Route, Is.EqualTo("/shelved"));
        Assert.That(documents.For<ShelvedBookHandler>(), Is.SameAs(documents.For<ShelvedBook>()));
        Assert.That(documents.For<BookEndpoint>().Model.Route, Is.EqualTo("/books"));
        var unknown = Assert.Throws<ArgumentException>(() => documents.For<ReadOnlyEndpoint>());
        Assert.That(unknown!.Message, Does.Contain("ReadOnlyEndpoint serves no registered endpoint"));
        Assert.That(Assert.Throws<ArgumentException>(() => documents.Collection("nope"))!.Message, Does.Contain("no collection 'nope'"));
    }

    [Test]
    public async Task The_background_jobs_and_the_auth_module_open_their_collections_in_the_same_store()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"));
        var documents = app.App.Services.GetRequiredService<IDocumentStore>();
        var books = documents.For<BookEndpoint>();

        await app.App.Services.GetRequiredService<GarbageCollectionService>().CollectOnceAsync();
        await app.App.Services.GetRequiredService<ExpirySweepService>().SweepOnceAsync();

        Assert.That(documents.Collections.Select(c => c.Model.Collection), Is.SupersetOf(new[] { "books", "auth-users" }));
        Assert.That(documents.Collections.Count(c => c.Model.Collection == "books"), Is.EqualTo(1));
        Assert.That(documents.For<BookEndpoint>(), Is.SameAs(books), "the jobs reuse the endpoint's repository");
    }
}
