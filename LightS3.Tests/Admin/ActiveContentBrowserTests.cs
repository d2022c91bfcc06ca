using System.Collections.Concurrent;
using System.Net;
using LightS3.Auth.Module;
using LightS3.Tests.Files;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LightS3.Tests.Admin;

/// <summary>
/// Active content on the app's origin, in a real browser: uploads served by the app (memory store, signed blob URLs)
/// never run in a signed-in admin's tab, and the API reference page runs under a CSP that blocks any script it did not ship.
/// </summary>
[NonParallelizable]
[Category(External.Category)]
public sealed class ActiveContentBrowserTests
{
    private const string Password = "correct horse 42";

    /// <summary>Reports the tab's sessionStorage (where /admin keeps its token) to <c>POST /leak</c>; a beacon survives navigation.</summary>
    private const string Steal =
        "navigator.sendBeacon('/leak?from=' + encodeURIComponent(location.pathname), Object.keys(sessionStorage).map(k => sessionStorage.getItem(k)).join(','));";

    private static readonly string Html = $"<!doctype html><html><body><p>hello</p><script>{Steal}</script></body></html>";
    private static readonly string Svg = $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>{Steal}</script></svg>";

    private AdminBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task LaunchBrowser() => _browser = await AdminBrowser.LaunchAsync();

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    private sealed record Leak(string From, string Stolen);

    [Test]
    public async Task Uploaded_html_and_svg_opened_from_a_signed_in_admin_tab_download_and_run_nothing()
    {
        var leaks = new ConcurrentQueue<Leak>();
        var controlLeaked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.Register<DropEndpoint>("/drops");
            a.UseAuthModule();
            a.Web.MapPost("/leak", async (HttpContext http) =>
            {
                var leak = new Leak(http.Request.Query["from"].ToString(), await new StreamReader(http.Request.Body).ReadToEndAsync());
                leaks.Enqueue(leak);
                if (leak.From == "/control.html") controlLeaked.TrySetResult();
                return Results.NoContent();
            });
            // the positive control: the same page served by the host with no protection at all
            a.Web.MapGet("/control.html", () => Results.Content(Html, "text/html"));
        }, o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.Admin = true;
        }, configureServices: s => s.Configure<AuthModuleOptions>(m => m.AttemptsPerWindow = 1000), socket: true);

        var registered = await app.PostAsync("/auth/register", new { username = "root", email = "root@example.com", password = Password });
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
        await app.App.Services.GetRequiredService<AuthService>().SetAdminAsync((await registered.JsonAsync())["id"]!.GetValue<string>(), true, CancellationToken.None);

        // anyone may upload to /drops: the attacker's page and picture
        var files = new Dictionary<string, string>();
        foreach (var (name, type, content) in new[] { ("page.html", "text/html", Html), ("logo.svg", "image/svg+xml", Svg) })
        {
            var id = (await app.CreateAsync("/drops", new { title = name }))["id"]!.GetValue<string>();
            await FileClient.PutFileAsync(app, $"/drops/{id}/payload", System.Text.Encoding.UTF8.GetBytes(content), type, name);
            files[name] = $"{app.Client.BaseAddress}drops/{id}/payload";
        }

        var page = await _browser.NewPageAsync();
        await page.GotoAsync(app.Client.BaseAddress + "admin/");
        await page.Locator("#username").FillAsync("root");
        await page.Locator("#password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => sessionStorage.length > 0");
        var token = await page.EvaluateAsync<string>("() => Object.keys(sessionStorage).map(k => sessionStorage.getItem(k)).join(',')");

        foreach (var (name, url) in files)
        {
            // the admin opens the file's link in the signed-in tab
            var download = await page.RunAndWaitForDownloadAsync(() => page.EvaluateAsync("u => { location.href = u; }", url));
            Assert.That(download.SuggestedFilename, Is.EqualTo(name), "saved as a file, not rendered on the app's origin");
            Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/admin/"), "the tab stays on /admin");
        }

        await page.GotoAsync(app.Client.BaseAddress + "control.html");
        await controlLeaked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(leaks.Single(l => l.From == "/control.html").Stolen, Is.EqualTo(token).And.Not.Empty,
            "the control proves the payload would have read the admin's token");
        Assert.That(leaks.Where(l => l.From != "/control.html"), Is.Empty, "no upload ran its script");
    }

    [Test]
    public async Task The_api_reference_renders_under_a_policy_that_blocks_any_script_it_did_not_ship()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"), socket: true);
        var page = await _browser.NewPageAsync();
        await page.AddInitScriptAsync("window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));");
        var response = await page.GotoAsync(app.Client.BaseAddress + "docs");
        Assert.That(await response!.HeaderValueAsync("content-security-policy"), Does.Contain("frame-ancestors 'none'"));
        await Expect(page.GetByText("LightS3 API").First).ToBeVisibleAsync();
        await Expect(page.GetByText("books").First).ToBeVisibleAsync();
        // the one refusal expected: the bundled zod probes `try { Function("") }` for its JIT and falls back without it
        Assert.That((await page.EvaluateAsync<string[]>("() => window.__violations")).Where(v => v != "script-src eval"), Is.Empty,
            "Scalar runs within the policy");

        // positive control: a script injected into the page is refused, and the refusal is seen
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.appendChild(s); }");
        await page.WaitForFunctionAsync("() => window.__violations.some(v => v.startsWith('script-src-elem'))");
        Assert.That(await page.EvaluateAsync<bool>("() => window.__injected === true"), Is.False);
    }
}
