using System.Net;
using LightS3.Tests.Support;

namespace LightS3.Tests.Concurrency;

/// <summary>
/// A record moves its unique value X → Y while two new records claim X: releasing X is a compare-and-swap PUT of the
/// free state and claiming from free is conditional too, so X never has two holders.
/// </summary>
[TestFixture(TestStore.S3, 300, Category = External.Category)]
[TestFixture(TestStore.File, 100)]
[TestFixture(TestStore.Embedded, 100)]
public sealed class UniqueReleaseRaceTests(TestStore store, int trials)
{
    [Test]
    public async Task A_released_unique_value_claimed_by_racers_has_exactly_one_holder()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"));
        var duringMove = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var x = $"97{trial:D11}";
            var mover = (await app.CreateAsync("/books", new { title = "mover", author = "a", isbn = x }))["id"]!.GetValue<string>();
            // one racer during the move, two right after it is acknowledged (the value is free then, so one must get it)
            var move = app.SendAsync(HttpMethod.Patch, $"/books/{mover}", new { isbn = $"98{trial:D11}", version = 1 });
            var during = app.PostAsync("/books", new { title = "b", author = "b", isbn = x });
            Assert.That(await move.StatusAsync(), Is.EqualTo(200), $"trial {trial}");
            var after = new[] { app.PostAsync("/books", new { title = "c", author = "c", isbn = x }), app.PostAsync("/books", new { title = "d", author = "d", isbn = x }) };
            var claims = new List<HttpResponseMessage> { await during };
            claims.AddRange(await Task.WhenAll(after));

            Assert.That(claims.Select(c => (int)c.StatusCode), Has.All.AnyOf(201, 409), $"trial {trial}");
            var winners = claims.Where(c => c.StatusCode == HttpStatusCode.Created).ToList();
            Assert.That(winners, Has.Count.EqualTo(1), $"trial {trial}: isbn {x} must have exactly one new holder");
            if (claims[0].StatusCode == HttpStatusCode.Created) duringMove++;
            var id = (await winners[0].JsonAsync())["id"]!.GetValue<string>();
            var stored = await (await app.Client.GetAsync($"/books/{id}")).JsonAsync();
            Assert.That(stored["isbn"]!.GetValue<string>(), Is.EqualTo(x));
        }
        TestContext.Out.WriteLine($"{duringMove}/{trials} trials handed the value over during the move");
    }
}
