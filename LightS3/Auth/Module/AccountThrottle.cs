using System.Security.Cryptography;
using System.Text;

namespace LightS3.Auth.Module;

/// <summary>
/// Failed password checks per account (login and password change), from any address: after
/// <see cref="AuthModuleOptions.FailedLoginsPerAccount"/> failures in a window of <see cref="AuthModuleOptions.FailedLoginWindow"/>
/// (starting at the first failure), every attempt for the account is refused until the window ends; a success clears it.
/// Kept in this process, like the per-address limit. Unknown usernames are counted like real ones, so a 429 never
/// tells whether an account exists.
/// </summary>
internal sealed class AccountThrottle(TimeProvider time, int limit, TimeSpan window)
{
    private readonly Dictionary<string, Window> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _pruneAt = 1024;

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public int Attempts { get; set; }
    }

    /// <summary>
    /// Takes one attempt for <paramref name="account"/>, or throws <see cref="AccountThrottledException"/>. The attempt
    /// counts as a failure until <see cref="Succeeded"/> clears the account: parallel guesses cannot all slip in
    /// before the first of them is known to have failed.
    /// </summary>
    public void Attempt(string account)
    {
        var key = Key(account);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_accounts.TryGetValue(key, out var current) || now - current.Start >= window)
            {
                Prune(now);
                _accounts[key] = current = new Window(now);
            }
            if (current.Attempts >= limit) throw new AccountThrottledException(current.Start + window - now);
            current.Attempts++;
        }
    }

    /// <summary>The password was right: the account's failures are forgotten.</summary>
    public void Succeeded(string account)
    {
        var key = Key(account);
        lock (_lock) _accounts.Remove(key);
    }

    /// <summary>Drops ended windows once the table has doubled since the last sweep (amortised O(1) per attempt).</summary>
    private void Prune(DateTimeOffset now)
    {
        if (_accounts.Count < _pruneAt) return;
        foreach (var (key, w) in _accounts)
            if (now - w.Start >= window) _accounts.Remove(key);
        _pruneAt = Math.Max(1024, _accounts.Count * 2);
    }

    /// <summary>A username longer than any account's (64) is kept as its hash: a 16 KiB "username" costs 64 bytes.</summary>
    private static string Key(string account) =>
        account.Length <= 64 ? account : "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account)));
}

/// <summary>Too many failed password checks for one account: the module answers 429 with <c>Retry-After</c>.</summary>
internal sealed class AccountThrottledException(TimeSpan retryAfter)
    : LightS3Exception("too many failed sign-ins for this account; retry later")
{
    /// <summary>When the account's window ends.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
