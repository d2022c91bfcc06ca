using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Http;
using LightS3.Model;
using LightS3.Storage;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Auth.Module;

/// <summary>
/// Users, logins and refresh tokens kept in the app's own object store. Passwords are hashed by the registered
/// <see cref="IPasswordHasher{TUser}"/> of <see cref="AuthUser"/> (ASP.NET Core Identity's PBKDF2 by default); refresh
/// tokens rotate on every use, and presenting a used one revokes its whole session (the token was stolen or replayed).
/// Login failures look the same whether or not the user exists, and cost the same (an unknown user is verified
/// against a dummy hash). Access tokens it issues carry <see cref="SessionClaim"/>, which marks them as its own.
/// </summary>
public sealed class AuthService
{
    /// <summary>
    /// The claim holding the session id of a module-issued access token. It marks the token as the module's: only
    /// tokens with it are checked against a session (an identity provider's <c>sid</c> is just another claim).
    /// </summary>
    public const string SessionClaim = "lights3_sid";

    private static readonly JsonWebTokenHandler Tokens = new();
    private readonly IPasswordHasher<AuthUser> _hasher;
    private readonly RecordRepository _users;
    private readonly RecordRepository _sessions;
    private readonly RecordRepository _refresh;
    private readonly InputBinder _userBinder;
    private readonly AuthModuleOptions _options;
    private readonly JwtOptions _jwt;
    private readonly TimeProvider _time;
    private readonly string _dummyHash;
    private readonly SigningCredentials _signing;
    private readonly AccountThrottle _throttle;

    /// <summary>Creates the service over the app's store.</summary>
    public AuthService(DocumentStore documents, TimeProvider time, IOptions<LightS3Options> options, IOptions<AuthModuleOptions> module,
        IPasswordHasher<AuthUser> hasher)
    {
        _hasher = hasher;
        var o = options.Value;
        _jwt = o.Jwt;
        _options = module.Value;
        _time = time;
        _users = documents.Open(AuthCollections.Users);
        _sessions = documents.Open(AuthCollections.Sessions);
        _refresh = documents.Open(AuthCollections.RefreshTokens);
        _userBinder = new InputBinder(AuthCollections.Users, UnknownFieldPolicy.Reject);
        _dummyHash = hasher.HashPassword(AuthUser.Unknown, "lights3-timing-equaliser-" + Guid.NewGuid());
        if (string.IsNullOrEmpty(_jwt.Secret))
            throw new ConfigurationException("the auth module signs tokens with HS256: set LIGHTS3_JWT_SECRET (at least 32 bytes)");
        _ = JwtKeys.Parameters(_jwt); // same checks as validation: length, algorithm
        _signing = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_jwt.Secret)), SecurityAlgorithms.HmacSha256);
        if (_options.FailedLoginsPerAccount < 1 || _options.FailedLoginWindow <= TimeSpan.Zero)
            throw new ConfigurationException("LightS3:AuthModule: FailedLoginsPerAccount must be at least 1 and FailedLoginWindow positive");
        _throttle = new AccountThrottle(time, _options.FailedLoginsPerAccount, _options.FailedLoginWindow);
    }

    /// <summary>Registers a user; 422 for a weak password or invalid fields, 409 when the username or email is taken.</summary>
    public async Task<Record> RegisterAsync(string username, string email, string password, CancellationToken ct)
    {
        username = username.Trim().ToLowerInvariant();
        email = email.Trim().ToLowerInvariant();
        var errors = new Dictionary<string, string[]>();
        if (_options.Passwords.Check(password, username) is { Count: > 0 } weak) errors["password"] = [.. weak];
        var body = new JsonObject { ["username"] = username, ["email"] = email, ["password_hash"] = "pending" };
        try
        {
            _userBinder.Bind(body, BindMode.Create);
        }
        catch (RecordValidationException e)
        {
            foreach (var (k, v) in e.Errors) errors[k] = v;
        }
        if (errors.Count > 0) throw new RecordValidationException(errors);
        body["password_hash"] = _hasher.HashPassword(new AuthUser("", username), password);
        return await _users.InsertAsync(_userBinder.Bind(body, BindMode.Create).Fields, ct);
    }

    /// <summary>
    /// Logs in: a new session with an access and a refresh token. Any failure is the same 401; an account with too
    /// many recent failures is refused before its password is checked (429 from the module's route).
    /// </summary>
    public async Task<JsonObject> LoginAsync(string username, string password, CancellationToken ct)
    {
        username = username.Trim().ToLowerInvariant();
        _throttle.Attempt(username);
        var user = await _users.FindByUniqueAsync("username", username, ct);
        // an unknown user is verified against the dummy hash: the same work, so the time does not tell
        var verified = _hasher.VerifyHashedPassword(user is null ? AuthUser.Unknown : new AuthUser(user.Id, username),
            user?.Peek()["password_hash"]?.GetValue<string>() ?? _dummyHash, password) != PasswordVerificationResult.Failed;
        if (user is null || !verified) throw InvalidLogin();
        _throttle.Succeeded(username);
        return await OpenSessionAsync(user, ct);
    }

    /// <summary>
    /// Changes the password of <paramref name="userId"/> after checking <paramref name="currentPassword"/> (403 when
    /// wrong; counted by the per-account throttle like a failed login). The new hash and the end of every session of
    /// the user, this one included, are one compare-and-swap write (the session epoch moves on); the answer is a token
    /// pair of a new session.
    /// </summary>
    internal async Task<JsonObject> ChangePasswordAsync(string userId, string currentPassword, string newPassword, CancellationToken ct)
    {
        if (!RecordIds.TryNormalize(userId, out var id)) throw Invalid("user no longer exists");
        var counted = false;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var user = await _users.GetAsync(id, ct) ?? throw Invalid("user no longer exists");
            var username = user.Peek()["username"]!.GetValue<string>();
            if (_options.Passwords.Check(newPassword, username) is { Count: > 0 } weak)
                throw new RecordValidationException(new Dictionary<string, string[]> { ["new_password"] = [.. weak] });
            if (!counted) _throttle.Attempt(username); // once per request, however often a racing write makes it re-read
            counted = true;
            if (_hasher.VerifyHashedPassword(new AuthUser(user.Id, username), user.Peek()["password_hash"]!.GetValue<string>(), currentPassword)
                == PasswordVerificationResult.Failed)
                throw new ApiProblemException(StatusCodes.Status403Forbidden, "the current password is incorrect",
                    new Dictionary<string, string[]> { ["current_password"] = ["is incorrect"] });
            _throttle.Succeeded(username);
            var data = (JsonObject)user.Peek().DeepClone();
            data["password_hash"] = _hasher.HashPassword(new AuthUser(user.Id, username), newPassword);
            data["session_epoch"] = EpochOf(user) + 1;
            try
            {
                return await OpenSessionAsync(await _users.ReplaceAsync(user, data, ct), ct);
            }
            catch (VersionConflictException)
            {
                // the user changed meanwhile (another password change, a revoke-all): check again against what is stored now
            }
        }
        throw new VersionConflictException(id);
    }

    /// <summary>A new session in the user's current epoch, and its first token pair.</summary>
    private async Task<JsonObject> OpenSessionAsync(Record user, CancellationToken ct)
    {
        var session = await _sessions.InsertAsync(new JsonObject
        {
            ["user_id"] = user.Id,
            ["issued_at"] = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["session_epoch"] = EpochOf(user),
            ["revoked"] = false,
        }, ct);
        return await IssueAsync(user, session, ct);
    }

    /// <summary>Exchanges a refresh token for a new pair. Reusing a rotated token revokes the whole session.</summary>
    public async Task<JsonObject> RefreshAsync(string token, CancellationToken ct)
    {
        var (record, session) = await ResolveRefreshAsync(token, ct);
        if (record.Peek()["used"]?.GetValue<bool>() == true)
        {
            await RevokeSessionAsync(session.Id, ct);
            throw Invalid("refresh token reuse detected: the session has been revoked");
        }
        if (Record.IntegerOf(record.Peek()["expires_at"]) < _time.GetUtcNow().ToUnixTimeSeconds()) throw Invalid("refresh token expired");
        var used = (JsonObject)record.Peek().DeepClone();
        used["used"] = true;
        try
        {
            await _refresh.ReplaceAsync(record, used, ct);
        }
        catch (VersionConflictException)
        {
            // two presentations raced: one of them is not the legitimate client
            await RevokeSessionAsync(session.Id, ct);
            throw Invalid("refresh token reuse detected: the session has been revoked");
        }
        var user = await _users.GetAsync(session.Peek()["user_id"]!.GetValue<string>(), ct) ?? throw Invalid("user no longer exists");
        if (EpochOf(session) != EpochOf(user)) throw Invalid("session revoked");
        return await IssueAsync(user, session, ct);
    }

    /// <summary>Revokes the session of a refresh token (logout).</summary>
    public async Task LogoutAsync(string token, CancellationToken ct)
    {
        var (_, session) = await ResolveRefreshAsync(token, ct);
        await RevokeSessionAsync(session.Id, ct);
    }

    /// <summary>Revokes a session by id (logout with an access token).</summary>
    public Task RevokeSessionAsync(string sessionId, CancellationToken ct) => UpdateAsync(_sessions, sessionId, d => d["revoked"] = true, ct);

    /// <summary>
    /// Ends every session of a user opened until now (admin): the user's session epoch moves on, and a session is
    /// live only while its epoch is the user's. No clock is compared, so a login right after (on any node) is live.
    /// </summary>
    public Task RevokeAllSessionsAsync(string userId, CancellationToken ct) =>
        UpdateAsync(_users, NormalizedId(userId), d => d["session_epoch"] = (Record.IntegerOf(d["session_epoch"]) ?? 0) + 1, ct);

    /// <summary>Grants or withdraws admin rights; live tokens of the user follow at their next request.</summary>
    public Task SetAdminAsync(string userId, bool isAdmin, CancellationToken ct) =>
        UpdateAsync(_users, NormalizedId(userId), d => d["is_admin"] = isAdmin, ct);

    /// <summary>Deletes a user (admin); their tokens stop working at once.</summary>
    public Task DeleteUserAsync(string userId, CancellationToken ct) => _users.DeleteAsync(NormalizedId(userId), null, ct);

    /// <summary>Every user's public view, by username (admin). One LIST and one GET per user not in the record cache.</summary>
    internal async Task<List<JsonObject>> ListUsersAsync(CancellationToken ct)
    {
        var users = new List<JsonObject>();
        await foreach (var entry in _users.Store.EnumerateAsync(_users.Layout.RecordsPrefix, null, ct))
            if (_users.Layout.IdOf(entry.Key) is { } id && Tombstones.StateOf(entry) != Tombstones.ListedState.Tombstone
                && await _users.GetListedAsync(id, entry.ETag, ct) is { } user)
                users.Add(Public(user));
        return [.. users.OrderBy(u => u["username"]?.GetValue<string>(), StringComparer.Ordinal)];
    }

    /// <summary>Creates a user (admin), with admin rights when asked: the rules of <see cref="RegisterAsync"/> and of the CLI's create-admin.</summary>
    internal async Task<JsonObject> CreateUserAsync(string username, string email, string password, bool isAdmin, CancellationToken ct)
    {
        var user = await RegisterAsync(username, email, password, ct);
        if (!isAdmin) return Public(user);
        await SetAdminAsync(user.Id, true, ct);
        return await DescribeAsync(user.Id, ct) ?? throw new RecordNotFoundException(user.Id);
    }

    /// <summary>Sets a new password (admin reset): the password rules apply, and every session of the user ends.</summary>
    internal async Task ResetPasswordAsync(string userId, string newPassword, CancellationToken ct)
    {
        var id = NormalizedId(userId);
        var user = await _users.GetAsync(id, ct) ?? throw new RecordNotFoundException(id);
        var username = user.Peek()["username"]!.GetValue<string>();
        if (_options.Passwords.Check(newPassword, username) is { Count: > 0 } weak)
            throw new RecordValidationException(new Dictionary<string, string[]> { ["new_password"] = [.. weak] });
        var hash = _hasher.HashPassword(new AuthUser(id, username), newPassword);
        await UpdateAsync(_users, id, d =>
        {
            d["password_hash"] = hash;
            d["session_epoch"] = (Record.IntegerOf(d["session_epoch"]) ?? 0) + 1;
        }, ct);
    }

    /// <summary>A user's public view; null when <paramref name="userId"/> is not the id of an existing user.</summary>
    public async Task<JsonObject?> DescribeAsync(string userId, CancellationToken ct) =>
        RecordIds.TryNormalize(userId, out var id) && await _users.GetAsync(id, ct) is { } u ? Public(u) : null;

    /// <summary>A user's public view by username (case-insensitive); null when there is no such user.</summary>
    public async Task<JsonObject?> FindByUsernameAsync(string username, CancellationToken ct) =>
        await _users.FindByUniqueAsync("username", username.Trim().ToLowerInvariant(), ct) is { } u ? Public(u) : null;

    /// <summary>
    /// Checks the session of a module-issued access token (one with <see cref="SessionClaim"/>): the user exists, the
    /// session is live and belongs to them, and was not ended by a revoke-all. Also answers the user's admin right
    /// as of now, so a demotion applies at the next request. Two GETs, in parallel.
    /// </summary>
    public async Task<SessionCheck> CheckSessionAsync(string userId, string sessionId, CancellationToken ct)
    {
        if (!RecordIds.TryNormalize(userId, out userId) || !RecordIds.TryNormalize(sessionId, out sessionId)) return SessionCheck.Invalid;
        var userTask = _users.GetAsync(userId, ct);
        var sessionTask = _sessions.GetAsync(sessionId, ct);
        var (user, session) = (await userTask, await sessionTask);
        var valid = user is not null && session is not null
                    && session.Peek()["revoked"]?.GetValue<bool>() != true
                    && session.Peek()["user_id"]?.GetValue<string>() == userId
                    && EpochOf(session) == EpochOf(user);
        return valid ? new SessionCheck(true, IsAdmin(user!)) : SessionCheck.Invalid;
    }

    /// <summary>The public fields of a user record.</summary>
    public static JsonObject Public(Record user) => new()
    {
        ["id"] = user.Id,
        ["username"] = user.Peek()["username"]?.DeepClone(),
        ["email"] = user.Peek()["email"]?.DeepClone(),
        ["is_admin"] = user.Peek()["is_admin"]?.DeepClone(),
        ["created_at"] = user.Peek()[AutoFields.CreatedAt]?.DeepClone(),
    };

    private async Task<JsonObject> IssueAsync(Record user, Record session, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var secret = RandomNumberGenerator.GetBytes(32);
        var refresh = await _refresh.InsertAsync(new JsonObject
        {
            ["session_id"] = session.Id,
            ["secret_hash"] = Convert.ToHexStringLower(SHA256.HashData(secret)),
            ["expires_at"] = (now + _options.RefreshTokenLifetime).ToUnixTimeSeconds(),
            ["used"] = false,
        }, ct);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.Id,
            ["name"] = user.Peek()["username"]!.GetValue<string>(),
            [SessionClaim] = session.Id,
            [_jwt.AdminClaim] = IsAdmin(user),
        };
        var access = Tokens.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = string.IsNullOrEmpty(_jwt.Issuer) ? null : _jwt.Issuer,
            Audience = string.IsNullOrEmpty(_jwt.Audience) ? null : _jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _options.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = _signing,
        });
        return new JsonObject
        {
            ["access_token"] = access,
            ["refresh_token"] = $"{refresh.Id}.{Base64UrlEncoder.Encode(secret)}",
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds,
        };
    }

    private async Task<(Record Token, Record Session)> ResolveRefreshAsync(string token, CancellationToken ct)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || !RecordIds.TryNormalize(token[..dot], out var id)) throw Invalid("invalid refresh token");
        byte[] secret;
        try
        {
            secret = Base64UrlEncoder.DecodeBytes(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            throw Invalid("invalid refresh token");
        }
        var record = await _refresh.GetAsync(id, ct) ?? throw Invalid("invalid refresh token");
        var expected = Convert.FromHexString(record.Peek()["secret_hash"]!.GetValue<string>());
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(secret), expected)) throw Invalid("invalid refresh token");
        var session = await _sessions.GetAsync(record.Peek()["session_id"]!.GetValue<string>(), ct) ?? throw Invalid("session not found");
        if (session.Peek()["revoked"]?.GetValue<bool>() == true) throw Invalid("session revoked");
        return (record, session);
    }

    private static async Task UpdateAsync(RecordRepository repository, string id, Action<JsonObject> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await repository.GetAsync(id, ct) ?? throw new RecordNotFoundException(id);
            var data = (JsonObject)current.Peek().DeepClone();
            change(data);
            try
            {
                await repository.ReplaceAsync(current, data, ct);
                return;
            }
            catch (VersionConflictException)
            {
                // someone else wrote: re-read and apply again
            }
        }
        throw new VersionConflictException(id);
    }

    /// <summary>A user's current session epoch, or the epoch a session was opened in.</summary>
    private static long EpochOf(Record record) => Record.IntegerOf(record.Peek()["session_epoch"]) ?? 0;

    private static bool IsAdmin(Record user) => user.Peek()["is_admin"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static string NormalizedId(string id) => RecordIds.TryNormalize(id, out var normalized) ? normalized : throw new RecordNotFoundException(id);

    private static ApiProblemException InvalidLogin() => new(StatusCodes.Status401Unauthorized, "invalid username or password");

    private static ApiProblemException Invalid(string detail) => new(StatusCodes.Status401Unauthorized, detail);
}

/// <summary>The outcome of <see cref="AuthService.CheckSessionAsync"/>.</summary>
/// <param name="IsValid">Whether the token's session is live.</param>
/// <param name="IsAdmin">Whether the user is an admin now (not when the token was issued).</param>
public readonly record struct SessionCheck(bool IsValid, bool IsAdmin)
{
    /// <summary>A dead session.</summary>
    public static SessionCheck Invalid => default;
}
