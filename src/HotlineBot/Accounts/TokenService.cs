using System.Security.Claims;
using HotlineBot.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HotlineBot.Accounts;

/// <summary>
/// Bearer tokens for the API: HS256 JWTs with the username and role, valid for <see cref="Lifetime"/>.
/// The signing key is generated once and kept in <c>token-key</c> under the data directory (mode 600
/// where the platform has modes), or in Redis when instances share state (<see cref="ISigningKeySource"/>),
/// so tokens survive a restart and every instance agrees.
/// </summary>
public sealed class TokenService
{
    public const string FileName = "token-key";
    public const string Issuer = "hotlinebot";
    public const string Audience = "hotlinebot-api";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";

    /// <summary>512 bits: well above HS256's 256-bit minimum.</summary>
    private const int KeyBytes = 64;

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _time;

    /// <summary>Keeps the key in a file (<see cref="FileName"/> under the data directory).</summary>
    public TokenService(string keyPath, TimeProvider time)
        : this(new FileSigningKeySource(keyPath), time)
    {
    }

    /// <summary>Keeps the key where <paramref name="keySource"/> says: a file for one host, Redis when instances share state.</summary>
    public TokenService(ISigningKeySource keySource, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keySource);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        SigningKey = new SymmetricSecurityKey(keySource.LoadOrCreate(KeyBytes));
    }

    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(8);

    public SymmetricSecurityKey SigningKey { get; }

    /// <summary>What JwtBearer checks: our issuer, audience and key, an unexpired token, and which claims name the user and role.</summary>
    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SigningKey,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = NameClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromMinutes(1),
    };

    /// <summary>A token for the account and when it expires.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = _time.GetUtcNow();
        // Whole seconds: the JWT's exp has no fractions, so the reported expiry matches it exactly.
        var expires = DateTimeOffset.FromUnixTimeSeconds((now + Lifetime).ToUnixTimeSeconds());
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(NameClaim, account.Username),
                new Claim(RoleClaim, account.Role),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
