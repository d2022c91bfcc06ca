using System.Net;
using System.Text;
using LightS3.Endpoints;
using LightS3.Tests.Support;

namespace LightS3.Tests.Validation;

[Filtering(Fields = ["score", "amount"])]
public class ScoreEndpoint : RestEndpoint<ScoreEndpoint>
{
    [Field(Unique = true, Index = true)] public double? Score { get; set; }
    [Field(Unique = true, Index = true)] public decimal? Amount { get; set; }
}

/// <summary>
/// Unique and indexed values compare in canonical form: <c>-0</c>, <c>0</c>, <c>0.0</c>, <c>0e5</c> are one number, so
/// one unique marker and one index value, on every store.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class CanonicalNumberTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(store, a => a.Register<ScoreEndpoint>("/scores"));

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Post(string json) => _app.Client.PostAsync("/scores", new StringContent(json, Encoding.UTF8, "application/json"));

    [TestCase("score", "-0", "0")]
    [TestCase("score", "0", "-0.0")]
    [TestCase("score", "-0e3", "0E-2")]
    [TestCase("amount", "-0", "0")]
    [TestCase("amount", "0.00", "-0.0")]
    [TestCase("amount", "\"-0\"", "0")]
    public async Task Negative_zero_and_zero_are_one_unique_value(string field, string first, string second)
    {
        var created = await Post($"{{\"{field}\": {first}}}");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        Assert.That((await created.JsonAsync())[field]!.ToJsonString(), Is.EqualTo("0"), "stored canonically");
        try
        {
            var duplicate = await Post($"{{\"{field}\": {second}}}");
            Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await duplicate.Content.ReadAsStringAsync());
            foreach (var spelling in new[] { "0", "-0", "-0.0" })
            {
                var found = await _app.Client.GetAsync($"/scores?{field}={spelling}").JsonAsync();
                Assert.That(found["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }), spelling);
            }
        }
        finally
        {
            await _app.SendAsync(HttpMethod.Delete, $"/scores/{id}");
        }
    }
}
