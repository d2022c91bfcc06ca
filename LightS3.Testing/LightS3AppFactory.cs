using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Testing;

/// <summary>
/// Runs the LightS3 app of <typeparamref name="TProgram"/>'s Program.cs in memory (ASP.NET Core's TestServer, no
/// socket) over a fresh store of its own, so tests are fast and independent and can run in parallel:
/// <code>
/// await using var factory = new LightS3AppFactory&lt;Program&gt;();
/// var client = factory.CreateClient();                    // anonymous
/// var alice = factory.CreateClient("alice");              // Authorization: Bearer &lt;a JWT for sub=alice&gt;
/// factory.Time.Advance(TimeSpan.FromHours(2));            // with UseFakeTime: expiry, leases and retries without waiting
/// </code>
/// </summary>
/// <typeparam name="TProgram">Any type of the app's assembly, usually <c>Program</c>.</typeparam>
public class LightS3AppFactory<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"lights3-test-{Guid.NewGuid():N}");

    /// <summary>The store the app gets; <see cref="TestStorage.Memory"/> unless set.</summary>
    public TestStorage Storage { get; init; } = TestStorage.Memory;

    /// <summary>Whether the app's <see cref="TimeProvider"/> is <see cref="Time"/> (off: the system clock).</summary>
    public bool UseFakeTime { get; init; }

    /// <summary>The app's clock when <see cref="UseFakeTime"/> is on: advance it instead of waiting.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Settings of the <c>LightS3</c> section for this app, applied after the app's own (e.g. <c>o.DefaultPermission</c>).</summary>
    public Action<LightS3Options>? Configure { get; init; }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureTestServices(services =>
        {
            // after the app's own configuration, so the test's store wins over appsettings and LIGHTS3_* variables
            services.PostConfigure<LightS3Options>(o =>
            {
                if (Storage == TestStorage.Memory) o.Storage = StorageKind.Memory;
                else
                {
                    o.Storage = StorageKind.Sqlite;
                    o.DataDir = _directory;
                }
                // an app without JWT settings gets a random secret, so CreateClient(subject) works; one with settings keeps them
                if (o.Jwt.Secret is null && o.Jwt.PublicKeyPem is null) o.Jwt.Secret = _secret;
                Configure?.Invoke(o);
            });
            if (UseFakeTime) services.AddSingleton<TimeProvider>(Time);
        });
    }

    /// <summary>A client that sends a JWT for <paramref name="subject"/> (an admin if <paramref name="admin"/>), signed with the app's secret.</summary>
    /// <exception cref="InvalidOperationException">The app validates tokens with a public key, whose private half the factory does not have.</exception>
    public HttpClient CreateClient(string subject, bool admin = false)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(subject, admin));
        return client;
    }

    /// <summary>A JWT for <paramref name="subject"/> that the app accepts (its secret, issuer, audience and admin claim).</summary>
    public string Token(string subject, bool admin = false, IReadOnlyDictionary<string, object>? claims = null)
    {
        var jwt = Services.GetRequiredService<IOptions<LightS3Options>>().Value.Jwt;
        if (jwt.Secret is null)
            throw new InvalidOperationException("The app validates JWTs with a public key (LightS3:Jwt:PublicKeyPem); sign test tokens with its private key instead.");
        var payload = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["sub"] = subject };
        if (admin) payload[jwt.AdminClaim] = true;
        var now = UseFakeTime ? Time.GetUtcNow().UtcDateTime : DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = payload,
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (Directory.Exists(_directory))
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { } // a file still open on a slow machine: the temp directory is the OS's to clean
    }
}
