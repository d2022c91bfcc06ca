using LightS3.OpenApi;
using LightS3.Tests.Support;

namespace LightS3.Tests.OpenApi;

/// <summary>The API reference page's security headers (rendering under them is checked in a browser: ActiveContentBrowserTests).</summary>
public sealed class DocsPageHeaderTests
{
    [Test]
    public async Task The_docs_page_has_a_csp_with_its_inline_script_hashed_and_forbids_framing()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"));
        var response = await app.Client.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("frame-ancestors 'none'").And.Contain("object-src 'none'").And.Contain("default-src 'self'"));
        Assert.That(csp, Does.Match("script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'"), "the inline bootstrap by hash");
        Assert.That(csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), Does.Not.Contain("unsafe"));
        Assert.That(csp, Is.EqualTo(DocsPageSecurity.PolicyFor(html)));
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        var script = await app.Client.GetAsync("/docs/scalar.js");
        Assert.That(script.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }
}
