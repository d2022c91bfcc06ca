using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Auth.Module;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LightS3.Tests.Admin;

/// <summary>
/// The admin UI in a real browser (Debian's chromium through Playwright) against a real Kestrel app on the memory store
/// with the auth module: sign-in, forms generated from the OpenAPI schemas, search, paging, edit with If-Match and the
/// 409 conflict flow, delete, and the non-admin screen. Screenshots go to LightS3.Tests/TestResults/admin-screenshots/.
/// </summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class AdminUiTests
{
    private const string Password = "correct horse 42";
    private AdminBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task LaunchBrowser() => _browser = await AdminBrowser.LaunchAsync();

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    private static Task<TestApp> StartApp(bool admin = true) =>
        TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.Register<AdminBookEndpoint>("/books");
            a.UseAuthModule();
        }, o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.Admin = admin;
        }, configureServices: s => s.Configure<AuthModuleOptions>(m => m.AttemptsPerWindow = 1000), socket: true);

    /// <summary>Registers a user through the auth module's API (an admin when asked) and returns an access token.</summary>
    private static async Task<string> CreateUser(TestApp app, string username, bool admin)
    {
        var registered = await app.PostAsync("/auth/register", new { username, email = $"{username}@example.com", password = Password });
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
        if (admin)
            await app.App.Services.GetRequiredService<AuthService>().SetAdminAsync((await registered.JsonAsync())["id"]!.GetValue<string>(), true, CancellationToken.None);
        var login = await (await app.PostAsync("/auth/login", new { username, password = Password })).JsonAsync();
        return login["access_token"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> Api(TestApp app, HttpMethod method, string path, string token, object? body = null, string? ifMatch = null) =>
        app.SendAsync(method, path, body, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (ifMatch is not null) r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        });

    private async Task<IPage> SignIn(TestApp app, string username, int width = 1280, int height = 800)
    {
        var page = await _browser.NewPageAsync(width, height);
        await page.GotoAsync(app.Client.BaseAddress + "admin/");
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        return page;
    }

    private static async Task<JsonObject> Record(TestApp app, string token, string title)
    {
        var list = await (await Api(app, HttpMethod.Get, $"/books?search={Uri.EscapeDataString(title)}", token)).JsonAsync();
        var match = list["results"]!.AsArray().SingleOrDefault(r => r!["title"]!.GetValue<string>() == title);
        Assert.That(match, Is.Not.Null, $"no record titled {title}");
        return match!.AsObject();
    }

    private static ILocator Rows(IPage page) => page.Locator("#records tbody tr[data-id]");

    [Test]
    public async Task Admin_page_is_served_only_when_enabled()
    {
        await using (var off = await StartApp(admin: false))
            Assert.That(await off.Client.GetAsync("/admin/").StatusAsync(), Is.EqualTo(404), "off by default");
        await using var app = await StartApp();
        var index = await app.Client.GetAsync("/admin/");
        Assert.That(index.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(index.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        var html = await index.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("data-openapi=\"/openapi/v1.json\"").And.Contain("<script src=\"app.js\">"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "no CDN");
        Assert.That((await app.Client.GetAsync("/admin/app.js")).Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(await app.Client.GetAsync("/admin/app.css").StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.Client.GetAsync("/admin/secrets.json").StatusAsync(), Is.EqualTo(404));
        var redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Client.BaseAddress }.GetAsync("/admin");
        Assert.That(redirect.Headers.Location?.ToString(), Is.EqualTo("/admin/"));
    }

    [Test]
    public async Task An_admin_signs_in_and_creates_a_record_through_the_generated_form()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(app.Client.BaseAddress + "admin/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await AdminBrowser.ScreenshotAsync(page, "01-sign-in");
        await page.Locator("#username").FillAsync("root");
        await page.Locator("#password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await page.Locator("#collections a", new() { HasText = "books" }).ClickAsync();
        await Expect(page.Locator(".empty")).ToHaveTextAsync("No records yet.");
        await page.Locator("#new-record").ClickAsync();

        // controls carry the schema's constraints
        await Expect(page.Locator("#f-title")).ToHaveAttributeAsync("required", "");
        await Expect(page.Locator("#f-title")).ToHaveAttributeAsync("maxlength", "100");
        await Expect(page.Locator("#f-pages")).ToHaveAttributeAsync("min", "1");
        await Expect(page.Locator("#f-pages")).ToHaveAttributeAsync("max", "10000");
        await Expect(page.Locator("#f-isbn")).ToHaveAttributeAsync("pattern", @"\d{13}");
        await Expect(page.Locator("select#f-genre option")).ToHaveTextAsync(["—", "Fiction", "Science", "History"]);
        await Expect(page.Locator("#f-genre")).ToHaveValueAsync("Fiction", new() { Timeout = 1000 }); // the schema's default
        await Expect(page.Locator("#f-in_stock")).ToBeCheckedAsync();
        Assert.That(await page.Locator("#f-title").EvaluateAsync<bool>("e => e.checkValidity()"), Is.False, "an empty required title is invalid in the browser");

        await page.GetByLabel("title").FillAsync("Dune");
        await page.GetByLabel("author").FillAsync("Frank Herbert");
        await page.GetByLabel("price").FillAsync("9.99");
        await page.Locator("#f-genre").SelectOptionAsync("Science");
        await page.Locator("#f-in_stock").UncheckAsync();
        await AdminBrowser.ScreenshotAsync(page, "02-create-form");
        await page.Locator("#save").ClickAsync();

        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).First).ToContainTextAsync("Dune");
        await AdminBrowser.ScreenshotAsync(page, "03-list");
        var stored = await Record(app, token, "Dune");
        Assert.That((stored["author"]!.GetValue<string>(), stored["price"]!.GetValue<decimal>(), stored["genre"]!.GetValue<string>(), stored["in_stock"]!.GetValue<bool>()),
            Is.EqualTo(("Frank Herbert", 9.99m, "Science", false)));
    }

    [Test]
    public async Task Server_validation_errors_are_shown_next_to_their_fields()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        await app.CreateAsyncAs(token, new { title = "Taken", author = "A", isbn = "9780441172719" });
        var page = await SignIn(app, "root");
        await page.GotoAsync(app.Client.BaseAddress + "admin/#/books/new");

        // the browser's checks bypassed, so the server's 422 answers
        await page.Locator("#record-form").EvaluateAsync("f => f.noValidate = true");
        await page.Locator("#f-author").FillAsync("Someone");
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator(".field[data-field='title'] .error")).ToBeVisibleAsync();
        await Expect(page.Locator(".field[data-field='title']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        await Expect(page.Locator(".field[data-field='author'] .error")).ToBeHiddenAsync();
        await AdminBrowser.ScreenshotAsync(page, "04-validation-errors");

        // a unique value taken: 409 with errors.isbn, shown at the isbn field
        await page.Locator("#f-title").FillAsync("Another");
        await page.Locator("#f-isbn").FillAsync("9780441172719");
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator(".field[data-field='isbn'] .error")).ToContainTextAsync("must be unique");
        await Expect(page.Locator(".field[data-field='title'] .error")).ToBeHiddenAsync();
    }

    [Test]
    public async Task Search_ordering_and_paging_drive_the_list_query()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        foreach (var title in new[] { "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf" })
            await app.CreateAsyncAs(token, new { title, author = title == "Echo" ? "Needle Author" : "Writer" });
        var page = await SignIn(app, "root");
        await page.Locator("#collections a", new() { HasText = "books" }).ClickAsync();

        await Expect(Rows(page)).ToHaveCountAsync(3);
        await Expect(page.Locator("#count")).ToHaveTextAsync("7 records · page 1 of 3");
        await Expect(page.Locator("#previous")).ToBeDisabledAsync();
        await page.Locator("#ordering").SelectOptionAsync("title");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Alpha", "Bravo", "Charlie"]);
        await page.Locator("#next").ClickAsync();
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Delta", "Echo", "Foxtrot"]);
        await Expect(page.Locator("#count")).ToHaveTextAsync("7 records · page 2 of 3");
        await page.Locator("#next").ClickAsync();
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Golf"]);
        await Expect(page.Locator("#next")).ToBeDisabledAsync();
        await page.Locator("#previous").ClickAsync();
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Delta", "Echo", "Foxtrot"]);

        await page.Locator("#ordering").SelectOptionAsync("-title");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Golf", "Foxtrot", "Echo"]);

        await page.Locator("#search").FillAsync("needle");
        await page.Locator("#search").PressAsync("Enter");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Echo"]);
        await Expect(page.Locator("#count")).ToHaveTextAsync("1 record · page 1 of 1");
        await AdminBrowser.ScreenshotAsync(page, "05-search");
    }

    [Test]
    public async Task Field_filters_narrow_the_table()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        await app.CreateAsyncAs(token, new { title = "Alpha", author = "Ann", genre = "Science", in_stock = true });
        await app.CreateAsyncAs(token, new { title = "Bravo", author = "Ann", genre = "History", in_stock = false });
        await app.CreateAsyncAs(token, new { title = "Charlie", author = "Bob", genre = "Science", in_stock = false });
        var page = await SignIn(app, "root");
        await page.Locator("#collections a", new() { HasText = "books" }).ClickAsync();
        await Expect(page.Locator("#count")).ToHaveTextAsync("3 records · page 1 of 1");

        var filters = page.GetByRole(AriaRole.Group, new() { Name = "Filters" });
        await Expect(filters.GetByLabel("genre")).ToBeVisibleAsync();
        await Expect(filters.GetByLabel("in stock")).ToBeVisibleAsync();
        await Expect(page.Locator("#clear-filters")).ToBeDisabledAsync();

        await filters.GetByLabel("genre").SelectOptionAsync("Science");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Alpha", "Charlie"]);
        await page.Locator("#ordering").SelectOptionAsync("-title");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Charlie", "Alpha"]);
        await filters.GetByLabel("author").FillAsync("Bob");
        await filters.GetByLabel("author").PressAsync("Enter");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Charlie"]);
        await Expect(page.Locator("#count")).ToHaveTextAsync("1 record · page 1 of 1");
        Assert.That(page.Url, Does.Contain("author=Bob").And.Contain("genre=Science").And.Contain("ordering=-title"));
        await AdminBrowser.ScreenshotAsync(page, "10-filters");

        await filters.GetByLabel("author").FillAsync("");
        await filters.GetByLabel("genre").SelectOptionAsync("");
        await filters.GetByLabel("in stock").SelectOptionAsync("false");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Charlie", "Bravo"]);

        await page.Locator("#clear-filters").ClickAsync();
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Charlie", "Bravo", "Alpha"]);
        await Expect(page.Locator("#count")).ToHaveTextAsync("3 records · page 1 of 1");
        await Expect(filters.GetByLabel("in stock")).ToHaveValueAsync("");
    }

    [Test]
    public async Task Reindex_rebuilds_the_collections_index_with_progress_shown_to_the_end()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        foreach (var (title, genre) in new[] { ("Alpha", "Science"), ("Bravo", "History"), ("Charlie", "Science"), ("Delta", "Fiction") })
            await app.CreateAsyncAs(token, new { title, author = "Ann", genre });
        // lose the genre index, as after adding Index to a field of existing records
        await foreach (var entry in app.ObjectStore.EnumerateAsync("books/index/", null)) await app.ObjectStore.DeleteAsync(entry.Key);
        var page = await SignIn(app, "root");
        await page.Locator("#collections a", new() { HasText = "books" }).ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Filters" }).GetByLabel("genre").SelectOptionAsync("Science");
        await Expect(page.Locator("#records tbody")).ToContainTextAsync("No records match.");

        await page.Locator("#reindex").ClickAsync();
        await Expect(page.Locator("#confirm-text")).ToContainTextAsync("Rebuild the indexes of books?");
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#reindex-status")).ToContainTextAsync("Indexes rebuilt: 4 records, 4 entries written, 0 stale entries removed.");
        await AdminBrowser.ScreenshotAsync(page, "11-reindex");
        await page.ReloadAsync();
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(["Alpha", "Charlie"]);
    }

    [Test]
    public async Task Edit_saves_with_If_Match_and_a_concurrent_change_shows_the_conflict_with_Reload_and_Overwrite()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        var id = (await app.CreateAsyncAs(token, new { title = "Original", author = "A", price = 10 }))["id"]!.GetValue<string>();
        var page = await SignIn(app, "root");
        await Expect(page.Locator("#collections a")).ToHaveCountAsync(1);

        // a plain edit
        await page.GotoAsync(app.Client.BaseAddress + $"admin/#/books/{id}");
        await Expect(page.Locator("#f-title")).ToHaveValueAsync("Original");
        await page.Locator("#f-title").FillAsync("Edited");
        await page.Locator("#save").ClickAsync();
        await Expect(Rows(page).First).ToContainTextAsync("Edited");
        Assert.That((await Record(app, token, "Edited"))["version"]!.GetValue<int>(), Is.EqualTo(2));

        // someone else changes the record between opening the form and saving it
        await page.Locator($"#records tr[data-id='{id}'] a", new() { HasText = "Edit" }).ClickAsync();
        await Expect(page.Locator("#f-title")).ToHaveValueAsync("Edited");
        Assert.That(await Api(app, HttpMethod.Patch, $"/books/{id}", token, new { price = 77, version = 2 }).StatusAsync(), Is.EqualTo(200));
        await page.Locator("#f-title").FillAsync("Mine");
        await page.Locator("#save").ClickAsync();
        var alert = page.Locator("#form-alert.conflict");
        await Expect(alert).ToContainTextAsync("changed by someone else");
        await Expect(page.Locator("#server-version")).ToContainTextAsync("\"price\": 77");
        await AdminBrowser.ScreenshotAsync(page, "06-conflict");
        Assert.That((await Record(app, token, "Edited"))["version"]!.GetValue<int>(), Is.EqualTo(3), "the stale save changed nothing");

        // Reload shows the server's version in the form
        await page.Locator("#conflict-reload").ClickAsync();
        await Expect(page.Locator("#f-price")).ToHaveValueAsync("77");
        await Expect(page.Locator("#f-title")).ToHaveValueAsync("Edited");

        // again, then Overwrite re-sends the user's values with the fresh ETag
        Assert.That(await Api(app, HttpMethod.Patch, $"/books/{id}", token, new { author = "Other", version = 3 }).StatusAsync(), Is.EqualTo(200));
        await page.Locator("#f-title").FillAsync("Mine");
        await page.Locator("#save").ClickAsync();
        await Expect(alert).ToBeVisibleAsync();
        await page.Locator("#conflict-overwrite").ClickAsync();
        await Expect(Rows(page).First).ToContainTextAsync("Mine");
        var final = await Record(app, token, "Mine");
        Assert.That((final["version"]!.GetValue<int>(), final["author"]!.GetValue<string>()), Is.EqualTo((5, "A")), "overwrite wrote the form's values over version 4");
    }

    [Test]
    public async Task Delete_asks_for_confirmation_first()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        var id = (await app.CreateAsyncAs(token, new { title = "Doomed", author = "A" }))["id"]!.GetValue<string>();
        var page = await SignIn(app, "root");
        await page.Locator("#collections a", new() { HasText = "books" }).ClickAsync();
        var delete = page.Locator($"#records tr[data-id='{id}'] button", new() { HasText = "Delete" });

        await delete.ClickAsync();
        await Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await AdminBrowser.ScreenshotAsync(page, "07-delete-confirm");
        await page.Locator("#confirm-cancel").ClickAsync();
        await Expect(page.Locator("#confirm")).ToBeHiddenAsync();
        Assert.That(await Api(app, HttpMethod.Get, $"/books/{id}", token).StatusAsync(), Is.EqualTo(200), "cancel keeps it");

        await delete.ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(0);
        Assert.That(await Api(app, HttpMethod.Get, $"/books/{id}", token).StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task A_non_admin_sees_admins_only_and_the_api_refuses_them()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "visitor", admin: false);
        var page = await SignIn(app, "visitor");
        await Expect(page.Locator("#admins-only")).ToContainTextAsync("Admins only");
        await Expect(page.Locator("#sidebar")).ToBeHiddenAsync();
        await AdminBrowser.ScreenshotAsync(page, "08-admins-only");
        Assert.That(await Api(app, HttpMethod.Get, "/books", token).StatusAsync(), Is.EqualTo(403), "the data is protected by the API itself");
    }

    [Test]
    public async Task A_pasted_token_signs_in_and_signing_out_forgets_it()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(app.Client.BaseAddress + "admin/");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Token" }).ClickAsync();
        await page.Locator("#token").FillAsync("Bearer " + token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Expect(page.Locator("#collections a")).ToHaveTextAsync(["books"]);
        await Expect(page.Locator("#who")).ToHaveTextAsync("root");

        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.That(await page.EvaluateAsync<string?>("sessionStorage.getItem('lights3.admin.token')"), Is.Null);
    }

    [Test]
    public async Task A_wrong_password_is_reported_on_the_sign_in_form()
    {
        await using var app = await StartApp();
        await CreateUser(app, "root", admin: true);
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(app.Client.BaseAddress + "admin/");
        await page.Locator("#username").FillAsync("root");
        await page.Locator("#password").FillAsync("wrong password 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
    }

    [Test]
    public async Task The_list_fits_a_phone_screen_with_the_collections_behind_a_menu()
    {
        await using var app = await StartApp();
        var token = await CreateUser(app, "root", admin: true);
        await app.CreateAsyncAs(token, new { title = "A rather long title for a small screen", author = "Someone with a long name" });
        var page = await SignIn(app, "root", 390, 844);
        await Expect(page.Locator("#menu-toggle")).ToBeVisibleAsync();
        await Expect(page.Locator("#collections a")).ToHaveCountAsync(1);
        await Expect(page.Locator("#collections a")).Not.ToBeInViewportAsync();
        await page.Locator("#menu-toggle").ClickAsync();
        await page.Locator("#collections a", new() { HasText = "books" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(page.Locator("#sidebar")).Not.ToBeInViewportAsync(); // choosing a collection closes the menu
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(390), "no horizontal page scroll");
        await AdminBrowser.ScreenshotAsync(page, "09-phone-list");
    }
}

internal static class AdminTestAppExtensions
{
    /// <summary>Creates a book as the given user, failing the test on anything but 201.</summary>
    public static async Task<JsonObject> CreateAsyncAs(this TestApp app, string token, object body)
    {
        var response = await app.SendAsync(HttpMethod.Post, "/books", body, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }
}
