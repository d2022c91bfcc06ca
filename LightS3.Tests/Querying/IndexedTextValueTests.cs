using System.Net;
using System.Text;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// Indexed text values of any length work on every store: the empty string, values past the index's exact-prefix
/// length (100 bytes) and values past a file name's 255 bytes. Keys stay bounded (a truncated prefix plus a hash), and
/// because such an encoding is lossy every hit and every count is verified against the record.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class IndexedTextValueTests(TestStore store)
{
    private static readonly string P100 = new('p', 100);
    private static readonly string P101 = new('p', 101);
    private static readonly string Long1 = new string('p', 150) + "1";
    private static readonly string Long2 = new string('p', 150) + "2";
    private static readonly string Q128 = new('q', 128);
    private static readonly string R700 = new('r', 700);
    private static readonly string Accents = new('é', 70); // 140 bytes: truncation falls inside no character, and order is by code point
    private static readonly string[] Values = ["", "x", P100, P101, Long1, Long2, Q128, R700, Accents];
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a =>
        {
            a.Register<ProductPages>("/products");
            a.Register<ProductCursor>("/scratch");
        });
        foreach (var (value, i) in Values.Select((v, i) => (v, i)))
            await _app.CreateAsync("/products", new { title = $"t{i}", author = "a", category = value, price = i, published = false });
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static string Title(string value) => $"t{Array.IndexOf(Values, value)}";

    private async Task<(int Count, List<string> Titles)> List(string query)
    {
        var response = await _app.Client.GetAsync($"/products?page_size=50&{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        return (body["count"]!.GetValue<int>(), body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList());
    }

    private static string Q(string value) => Uri.EscapeDataString(value);

    [Test]
    public async Task Equality_on_an_empty_or_long_indexed_value_finds_exactly_its_record_with_an_exact_count()
    {
        foreach (var value in Values)
        {
            var (count, titles) = await List($"category={Q(value)}");
            Assert.That(titles, Is.EqualTo(new[] { Title(value) }), $"{Encoding.UTF8.GetByteCount(value)} bytes");
            Assert.That(count, Is.EqualTo(1), $"count for {Encoding.UTF8.GetByteCount(value)} bytes");
        }
    }

    [Test]
    public async Task An_empty_value_in_equality_and_in_lists_is_a_value_not_an_error()
    {
        Assert.That(await List("category="), Is.EqualTo((1, new List<string> { Title("") })));
        Assert.That(await List("category__in=x,"), Is.EqualTo((2, new List<string> { Title(""), Title("x") })));
        Assert.That((await List("category__in=,")).Titles, Is.EqualTo(new[] { Title("") }));
    }

    [Test]
    public async Task Values_sharing_a_long_prefix_are_counted_exactly()
    {
        Assert.That(await List($"category={Q(Long1)}"), Is.EqualTo((1, new List<string> { Title(Long1) })));
        Assert.That(await List($"category__in={Q(Long1)},{Q(Long2)}"), Is.EqualTo((2, new List<string> { Title(Long1), Title(Long2) })));
        Assert.That(await List($"category__startswith={Q(new string('p', 120))}"), Is.EqualTo((2, new List<string> { Title(Long1), Title(Long2) })));
    }

    public static IEnumerable<TestCaseData> Ranges()
    {
        TestCaseData Case(string name, string op, string bound, Func<string, bool> want) => new TestCaseData(op, bound, want).SetArgDisplayNames(name);
        yield return Case("gt a long bound", "gt", P101, v => string.CompareOrdinal(v, P101) > 0);
        yield return Case("gte a long bound", "gte", Long1, v => string.CompareOrdinal(v, Long1) >= 0);
        yield return Case("lt a long bound", "lt", Long2, v => string.CompareOrdinal(v, Long2) < 0);
        yield return Case("lte a long bound", "lte", Long1, v => string.CompareOrdinal(v, Long1) <= 0);
        yield return Case("gt the empty string", "gt", "", v => v.Length > 0);
        yield return Case("lte the empty string", "lte", "", v => v.Length == 0);
        yield return Case("lt a 100-byte bound", "lt", P100, v => string.CompareOrdinal(v, P100) < 0);
    }

    [TestCaseSource(nameof(Ranges))]
    public async Task A_range_with_an_empty_or_long_bound_returns_and_counts_exactly_the_matches(string op, string bound, Func<string, bool> want)
    {
        var expected = Values.Where(want).Select(Title).ToList();
        var (count, titles) = await List($"category__{op}={Q(bound)}");
        Assert.That(titles, Is.EquivalentTo(expected));
        Assert.That(count, Is.EqualTo(expected.Count));
    }

    [Test]
    public async Task Ordering_by_an_indexed_field_visits_every_record_once_in_prefix_order()
    {
        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await _app.Client.GetAsync($"/products?ordering=category&page_size=2&page={page}").JsonAsync();
            var titles = body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();
            if (titles.Count == 0) break;
            seen.AddRange(titles);
        }
        Assert.That(seen, Is.EquivalentTo(Values.Select(Title)));
        // values sharing their first 100 bytes order by hash (documented); everything else is in value order
        var prefixes = seen.Select(t => Values[int.Parse(t[1..])]).Select(v => Encoding.UTF8.GetBytes(v).Take(100).ToArray()).ToList();
        for (var i = 1; i < prefixes.Count; i++)
            Assert.That(((ReadOnlySpan<byte>)prefixes[i - 1]).SequenceCompareTo(prefixes[i]), Is.LessThanOrEqualTo(0), $"position {i}");
    }

    [Test]
    public async Task Empty_and_long_values_can_be_patched_in_and_out_of_an_index()
    {
        var created = await _app.CreateAsync("/scratch", new { title = "s", author = "a", category = "", price = 1, published = false });
        var id = created["id"]!.GetValue<string>();
        var version = 1;
        foreach (var value in new[] { Long1, new string('z', 1000), "", Q128, "plain" })
        {
            var response = await _app.SendAsync(HttpMethod.Patch, $"/scratch/{id}", new { category = value, version });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            version++;
            var found = await _app.Client.GetAsync($"/scratch?category={Q(value)}").JsonAsync();
            Assert.That(found["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }), $"{value.Length} chars");
        }
        var stale = await _app.Client.GetAsync($"/scratch?category={Q(Long1)}").JsonAsync();
        Assert.That(stale["results"]!.AsArray(), Is.Empty, "the old value's entry no longer finds the record");
    }
}
