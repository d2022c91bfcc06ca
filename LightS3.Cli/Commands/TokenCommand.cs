using System.CommandLine;
using System.Text;
using LightS3.Auth;
using LightS3.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 token SUBJECT [--admin] [--claim NAME=VALUE]... [--expires 1h]</c>: an access token signed with the configured
/// HS256 key (<c>LIGHTS3_JWT_SECRET</c>), with the configured issuer and audience, that the app accepts — for YAML-only
/// apps, scripts and tests. Refuses without a secret (a public key verifies, it cannot sign). Prints only the token.
/// </summary>
public static class TokenCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var subject = new Argument<string>("subject") { Description = "the token's subject (sub claim), e.g. a user id or a service name" };
        var admin = new Option<bool>("--admin") { Description = "add the admin claim (is_admin: true, or LIGHTS3_JWT_ADMIN_CLAIM)" };
        var claims = new Option<string[]>("--claim") { Description = "an extra claim NAME=VALUE (repeatable; true/false and integers keep their JSON type)", AllowMultipleArgumentsPerToken = false };
        var expires = new Option<string>("--expires") { Description = "lifetime: 30m, 1h, 7d or seconds (default 1h)", DefaultValueFactory = _ => "1h" };
        var command = new Command("token", "mint an access token signed with the configured key") { subject, admin, claims, expires };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var jwt = app.Services.GetRequiredService<IOptions<LightS3Options>>().Value.Jwt;
            globals.Output.Out.WriteLine(Mint(jwt, parse.GetValue(subject)!, parse.GetValue(admin), parse.GetValue(claims) ?? [], Lifetime(parse.GetValue(expires)!), TimeProvider.System));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Signs a token for <paramref name="subject"/> with <paramref name="jwt"/>'s secret.</summary>
    public static string Mint(JwtOptions jwt, string subject, bool admin, IEnumerable<string> claims, TimeSpan lifetime, TimeProvider time)
    {
        if (string.IsNullOrEmpty(jwt.Secret))
            throw new CliException(string.IsNullOrEmpty(jwt.PublicKeyPem)
                ? "no signing key: set LIGHTS3_JWT_SECRET (HS256, at least 32 bytes)"
                : "LIGHTS3_JWT_PUBLIC_KEY can only verify tokens; mint them with the private key's owner (your identity provider)");
        _ = JwtKeys.Parameters(jwt); // the app's own checks: length, algorithm
        var values = new Dictionary<string, object> { ["sub"] = subject };
        if (admin) values[jwt.AdminClaim] = true;
        foreach (var claim in claims)
        {
            var eq = claim.IndexOf('=');
            if (eq <= 0) throw new CliException($"--claim '{claim}': use NAME=VALUE");
            var value = claim[(eq + 1)..];
            values[claim[..eq]] = value switch
            {
                "true" => true,
                "false" => false,
                _ when long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
                _ => value,
            };
        }
        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = values,
            Issuer = string.IsNullOrEmpty(jwt.Issuer) ? null : jwt.Issuer,
            Audience = string.IsNullOrEmpty(jwt.Audience) ? null : jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Parses <c>30m</c>, <c>1h</c>, <c>7d</c>, <c>90s</c> or plain seconds.</summary>
    public static TimeSpan Lifetime(string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new CliException($"--expires '{text}': use e.g. 30m, 1h, 7d or a number of seconds");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw new CliException($"--expires '{text}': unknown unit '{unit}' (s, m, h, d)"),
        };
    }
}
