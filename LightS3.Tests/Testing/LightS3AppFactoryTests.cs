extern alias books;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Tests.Testing;

/// <summary>LightS3.Testing's factory on the Books example's Program.cs, as a user's test project uses it (and the template's does).</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LightS3AppFactoryTests
{
    [Test]
    public async Task Each_factory_runs_the_program_in_memory_over_a_store_of_its_own()
    {
        await using var first = new LightS3AppFactory<books::Program>();
        await using var second = new LightS3AppFactory<books::Program>();
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var created = await a.PostAsJsonAsync("/books", new { title = "Dune", author = "Herbert" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());

        Assert.That((await a.GetFromJsonAsync<JsonObject>("/books"))!["results"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await b.GetFromJsonAsync<JsonObject>("/books"))!["results"]!.AsArray(), Is.Empty, "the second factory's store is its own");
        Assert.That(first.Services.GetRequiredService<IOptions<LightS3Options>>().Value.Storage, Is.EqualTo(StorageKind.Memory));
    }

    [Test]
    public async Task The_embedded_store_lives_in_a_temporary_directory_removed_with_the_factory()
    {
        string directory;
        await using (var factory = new LightS3AppFactory<books::Program> { Storage = TestStorage.Embedded })
        {
            using var client = factory.CreateClient();
            Assert.That((await client.PostAsJsonAsync("/books", new { title = "Emma", author = "Austen" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var options = factory.Services.GetRequiredService<IOptions<LightS3Options>>().Value;
            Assert.That(options.Storage, Is.EqualTo(StorageKind.Sqlite));
            directory = options.DataDir;
            Assert.That(Directory.EnumerateFileSystemEntries(directory), Is.Not.Empty, "the records are on disk there");
        }
        Assert.That(Directory.Exists(directory), Is.False);
    }

    [Test]
    public async Task A_client_for_a_user_carries_a_token_the_app_accepts()
    {
        await using var factory = new LightS3AppFactory<books::Program> { Configure = o => o.DefaultPermission = "IsAuthenticated" };
        using var anonymous = factory.CreateClient();
        using var alice = factory.CreateClient("alice");
        Assert.That((await anonymous.GetAsync("/books")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await alice.GetAsync("/books")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task With_fake_time_the_app_reads_the_factorys_clock()
    {
        await using var factory = new LightS3AppFactory<books::Program> { UseFakeTime = true };
        var before = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        factory.Time.Advance(TimeSpan.FromDays(3));
        Assert.That(factory.Services.GetRequiredService<TimeProvider>().GetUtcNow() - before, Is.EqualTo(TimeSpan.FromDays(3)));
    }
}
