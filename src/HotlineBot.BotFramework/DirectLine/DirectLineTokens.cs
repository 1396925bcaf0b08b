using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HotlineBot.BotFramework.DirectLine;

/// <summary>A token the channel issued: which conversation and user it is for, and until when.</summary>
public sealed record DirectLineToken(string Token, string ConversationId, string UserId, DateTimeOffset ExpiresAt)
{
    /// <summary>Whole seconds left at <paramref name="now"/>, as <c>expires_in</c> reports them.</summary>
    public int ExpiresIn(DateTimeOffset now) => (int)Math.Max(0, Math.Floor((ExpiresAt - now).TotalSeconds));
}

public enum TokenStatus
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>The outcome of checking a token; <see cref="Token"/> is set when it is <see cref="TokenStatus.Valid"/>.</summary>
public sealed record TokenCheck(TokenStatus Status, DirectLineToken? Token)
{
    public static TokenCheck Expired { get; } = new(TokenStatus.Expired, null);

    public static TokenCheck Invalid { get; } = new(TokenStatus.Invalid, null);
}

/// <summary>
/// Direct Line tokens: HS256 JWTs bound to one conversation (<c>conv</c>) and one user (<c>user</c>), valid for
/// <c>lifetime</c>. They are JWTs, as the public service's are, because DirectLineJS reads the user id from
/// the token's <c>user</c> claim (and then ignores a user id the page tries to set). The key never leaves
/// the service; a token signed with another key, altered, or for another purpose (issuer, audience) is invalid.
/// </summary>
public sealed class DirectLineTokens
{
    public const string Issuer = "directline";
    public const string Audience = "directline";
    public const string ConversationClaim = "conv";
    public const string UserClaim = "user";

    /// <summary>The shortest key accepted: HS256 needs 256 bits.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>User ids are written by the service (<c>dl_</c> and 22 URL-safe characters) or by a secret holder; they travel in URLs.</summary>
    public const int MaxIdLength = 128;

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SymmetricSecurityKey _key;
    private readonly SigningCredentials _signing;
    private readonly TimeProvider _time;

    public DirectLineTokens(byte[] key, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The Direct Line signing key must be at least {MinKeyBytes * 8} bits.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        _key = new SymmetricSecurityKey(key);
        _signing = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256);
        _time = time;
        Lifetime = lifetime;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Whole seconds the token has left now (<c>expires_in</c>).</summary>
    public int SecondsLeft(DirectLineToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.ExpiresIn(_time.GetUtcNow());
    }

    /// <summary>A new conversation id: 128 random bits, URL-safe (it goes into URLs unencoded).</summary>
    public static string NewConversationId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new user id, with the <c>dl_</c> prefix Direct Line reserves for ids embedded in tokens.</summary>
    public static string NewUserId() => "dl_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether an id can be put in a token and a URL: 1-128 letters, digits, '-', '_', '.', ':' or '@'.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@');

    /// <summary>A token for the conversation and user, valid for <see cref="Lifetime"/> from now.</summary>
    public DirectLineToken Issue(string conversationId, string userId)
    {
        if (!IsValidId(conversationId))
        {
            throw new ArgumentException("Not a valid conversation id.", nameof(conversationId));
        }

        if (!IsValidId(userId))
        {
            throw new ArgumentException("Not a valid user id.", nameof(userId));
        }

        var now = _time.GetUtcNow();
        // Whole seconds: exp has no fractions, so the reported expiry matches the token's.
        var issued = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expires = issued + Lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([new Claim(ConversationClaim, conversationId), new Claim(UserClaim, userId)]),
            SigningCredentials = _signing,
        });
        return new DirectLineToken(token, conversationId, userId, expires);
    }

    /// <summary>Checks the signature, issuer and audience, then the expiry against this instance's clock.</summary>
    public async Task<TokenCheck> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096)
        {
            return TokenCheck.Invalid;
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            // The expiry is checked below against the injected clock, to the second, with no skew:
            // one service both issues and checks these tokens.
            ValidateLifetime = false,
            RequireExpirationTime = true,
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt
            || !jwt.TryGetPayloadValue<string>(ConversationClaim, out var conversationId) || !IsValidId(conversationId)
            || !jwt.TryGetPayloadValue<string>(UserClaim, out var userId) || !IsValidId(userId))
        {
            return TokenCheck.Invalid;
        }

        if (jwt.ValidTo == DateTime.MinValue)
        {
            return TokenCheck.Invalid;
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
        return _time.GetUtcNow() >= expires
            ? TokenCheck.Expired
            : new TokenCheck(TokenStatus.Valid, new DirectLineToken(token, conversationId, userId, expires));
    }
}
