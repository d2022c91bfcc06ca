using LightS3.Tests.Support;
using Microsoft.Playwright;

namespace LightS3.Tests.Admin;

/// <summary>
/// Debian's chromium driven by Playwright by executable path (<c>LIGHTS3_CHROMIUM</c>, default <c>/usr/bin/chromium</c>).
/// Never downloads a browser; a missing chromium fails the test (scripts/test.sh installs it).
/// </summary>
public sealed class AdminBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private AdminBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Where the screenshots go: <c>LightS3.Tests/TestResults/admin-screenshots/</c> (gitignored).</summary>
    public static string ScreenshotDir { get; } = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "TestResults", "admin-screenshots"));

    public static async Task<AdminBrowser> LaunchAsync()
    {
        External.Require("Chromium");
        var path = Environment.GetEnvironmentVariable("LIGHTS3_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        if (!File.Exists(path))
            Assert.Fail($"chromium not found at {path}: install it (apt-get install -y chromium) or set LIGHTS3_CHROMIUM");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });
        Assertions.SetDefaultExpectTimeout(10_000);
        Directory.CreateDirectory(ScreenshotDir);
        return new AdminBrowser(playwright, browser);
    }

    /// <summary>
    /// A fresh page (own storage) at desktop or <paramref name="width"/> size; <paramref name="bypassCsp"/> lets a test inject
    /// its own tool (axe-core) into a page whose CSP allows no inline script.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BypassCSP = bypassCsp });
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
