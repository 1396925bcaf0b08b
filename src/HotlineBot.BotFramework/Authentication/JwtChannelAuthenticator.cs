using System.Security.Claims;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace HotlineBot.BotFramework.Authentication;

/// <summary>
/// Checks the channel's <c>Authorization: Bearer</c> JWT as the Bot Connector authentication
/// specification requires (connector to bot): signed RS256 with a key from the OpenID metadata's key
/// set, that key endorsed for the activity's channelId, issuer <see cref="BotFrameworkOptions.ChannelTokenIssuer"/>,
/// audience the bot's app id, within its lifetime (5 minutes' clock skew), and a <c>serviceurl</c>
/// claim equal to the activity's serviceUrl. Any failure throws <see cref="UnauthorizedAccessException"/>
/// with a short reason; the token itself is never logged.
/// </summary>
public sealed partial class JwtChannelAuthenticator : IChannelAuthenticator, IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> that fetches the metadata and keys.</summary>
    public const string HttpClientName = "HotlineBot.BotFramework.ChannelKeys";

    /// <summary>Bot Framework tokens carry the service URL as <c>serviceurl</c>; the specification writes <c>serviceUrl</c>.</summary>
    private static readonly string[] ServiceUrlClaims = ["serviceurl", "serviceUrl"];

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>An unknown key id asks for fresh keys at most this often (as Bot Builder does).</summary>
    private static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long a request with an unknown key id waits for a refresh under way.</summary>
    private static readonly TimeSpan KeyRefreshWait = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan KeyRefreshPoll = TimeSpan.FromMilliseconds(50);

    private readonly ConfigurationManager<ChannelSigningKeys> _keys;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly HttpClient _http;
    private readonly string _appId;
    private readonly string _issuer;
    private readonly ILogger<JwtChannelAuthenticator> _logger;
    private long _lastRefreshRequest;

    public JwtChannelAuthenticator(IOptions<BotFrameworkOptions> options, IHttpClientFactory httpClientFactory, ILogger<JwtChannelAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        var value = options.Value;
        if (value.IsAnonymous)
        {
            throw new InvalidOperationException("JwtChannelAuthenticator needs BotFramework:MicrosoftAppId.");
        }

        if (!Uri.TryCreate(value.OpenIdMetadataUrl, UriKind.Absolute, out var metadataUrl))
        {
            throw new InvalidOperationException("BotFramework:OpenIdMetadataUrl must be an absolute URL.");
        }

        _appId = value.MicrosoftAppId!;
        _issuer = value.ChannelTokenIssuer;
        _logger = logger;
        _http = httpClientFactory.CreateClient(HttpClientName);

        // HTTPS is required except on a loopback address (a local test or development key server).
        var documents = new HttpDocumentRetriever(_http) { RequireHttps = !metadataUrl.IsLoopback };
        _keys = new ConfigurationManager<ChannelSigningKeys>(metadataUrl.AbsoluteUri, new ChannelSigningKeysRetriever(), documents)
        {
            RefreshInterval = KeyRefreshInterval,
        };
    }

    public async Task<ClaimsIdentity> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var token = BearerToken(authorizationHeader);
        if (string.IsNullOrEmpty(activity.ChannelId))
        {
            throw new UnauthorizedAccessException("the activity has no channelId");
        }

        var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
        var result = await ValidateAsync(token, keys).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await RefreshedKeysAsync(keys, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            // The channel may have rotated its keys since they were cached: try once more with the new set.
            keys = refreshed;
            result = await ValidateAsync(token, keys).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            throw new UnauthorizedAccessException(Reason(result.Exception));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var keyId = jwt.SigningKey?.KeyId ?? jwt.Kid;
        if (string.IsNullOrEmpty(keyId) || !keys.IsEndorsed(keyId, activity.ChannelId))
        {
            throw new UnauthorizedAccessException("the signing key is not endorsed for the activity's channel");
        }

        var serviceUrl = ServiceUrlClaims.Select(name => jwt.TryGetPayloadValue<string>(name, out var value) ? value : null)
            .FirstOrDefault(value => !string.IsNullOrEmpty(value));
        if (serviceUrl is null)
        {
            throw new UnauthorizedAccessException("the token has no serviceurl claim");
        }

        if (!string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthorizedAccessException("the token's serviceurl does not match the activity's serviceUrl");
        }

        return result.ClaimsIdentity;
    }

    public void Dispose() => _http.Dispose();

    private static string BearerToken(string? authorizationHeader)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            throw new UnauthorizedAccessException("no Authorization header");
        }

        const string Scheme = "Bearer ";
        var header = authorizationHeader.Trim();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            throw new UnauthorizedAccessException("the Authorization header is not a Bearer token");
        }

        return header[Scheme.Length..].Trim();
    }

    private async Task<ChannelSigningKeys> GetKeysAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _keys.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
        {
            LogKeysUnavailable(_logger, e);
            throw new UnauthorizedAccessException("the channel's signing keys are unavailable", e);
        }
    }

    /// <summary>
    /// A newer key set than <paramref name="stale"/>, or null. The configuration manager refreshes in the
    /// background, so this asks for a refresh (at most once per <see cref="KeyRefreshInterval"/>) and
    /// waits briefly for it to land; a request that comes while no refresh is under way is not held up.
    /// </summary>
    private async Task<ChannelSigningKeys?> RefreshedKeysAsync(ChannelSigningKeys stale, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefreshRequest);
        if ((last == 0 || now - last >= (long)KeyRefreshInterval.TotalMilliseconds)
            && Interlocked.CompareExchange(ref _lastRefreshRequest, now, last) == last)
        {
            _keys.RequestRefresh();
        }

        var deadline = Interlocked.Read(ref _lastRefreshRequest) + (long)KeyRefreshWait.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var current = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(current, stale))
            {
                return current;
            }

            await Task.Delay(KeyRefreshPoll, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private Task<TokenValidationResult> ValidateAsync(string token, ChannelSigningKeys keys) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _issuer,
            ValidAudience = _appId,
            IssuerSigningKeys = keys.Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,

            // Bot Framework tokens name their key; a token must be verified by the key it names.
            TryAllIssuerSigningKeys = false,
        });

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not yet valid",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenSignatureKeyNotFoundException => "the token's signing key is not among the channel's keys",
        SecurityTokenInvalidAlgorithmException => "the token's algorithm is not RS256",
        SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenMalformedException or ArgumentException => "malformed token",
        _ => "invalid token",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the channel's OpenID metadata or signing keys.")]
    private static partial void LogKeysUnavailable(ILogger logger, Exception exception);
}
