namespace LightS3.Auth.Module;

/// <summary>Settings of the built-in user and token service (<c>LightS3:AuthModule</c>).</summary>
public sealed class AuthModuleOptions
{
    /// <summary>Route prefix of the module's endpoints.</summary>
    public string RoutePrefix { get; set; } = "/auth";

    /// <summary>Lifetime of access tokens.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of refresh tokens.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Login and register attempts allowed per client address per window (429 beyond).</summary>
    public int AttemptsPerWindow { get; set; } = 10;

    /// <summary>The rate-limit window.</summary>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed password checks (login, password change) allowed per account, from any address, within
    /// <see cref="FailedLoginWindow"/>; beyond, the account's sign-ins answer 429 until the window ends.
    /// </summary>
    public int FailedLoginsPerAccount { get; set; } = 10;

    /// <summary>The per-account window, starting at the first failure; a successful sign-in ends it.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The password policy.</summary>
    public PasswordPolicy Passwords { get; set; } = new();
}

/// <summary>What a password must have.</summary>
public sealed class PasswordPolicy
{
    /// <summary>Minimum length.</summary>
    public int MinLength { get; set; } = 10;

    /// <summary>Require a letter.</summary>
    public bool RequireLetter { get; set; } = true;

    /// <summary>Require a digit.</summary>
    public bool RequireDigit { get; set; } = true;

    /// <summary>Problems with <paramref name="password"/> (empty when it is acceptable).</summary>
    public IReadOnlyList<string> Check(string password, string username)
    {
        var problems = new List<string>();
        if (password.Length < MinLength) problems.Add($"must be at least {MinLength} characters long");
        if (password.Length > 256) problems.Add("must be at most 256 characters long");
        if (RequireLetter && !password.Any(char.IsLetter)) problems.Add("must contain a letter");
        if (RequireDigit && !password.Any(char.IsDigit)) problems.Add("must contain a digit");
        if (username.Length > 0 && password.Contains(username, StringComparison.OrdinalIgnoreCase)) problems.Add("must not contain the username");
        return problems;
    }
}
