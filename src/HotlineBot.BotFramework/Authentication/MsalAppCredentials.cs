using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace HotlineBot.BotFramework.Authentication;

/// <summary>
/// The bot's own token for calls to a channel's Connector (bot to connector): the OAuth 2.0
/// client-credentials grant with the app id and password against
/// <see cref="BotFrameworkOptions.OAuthAuthority"/> (its tenant replaced by
/// <see cref="BotFrameworkOptions.MicrosoftAppTenantId"/> when one is set) for
/// <see cref="BotFrameworkOptions.OAuthScope"/>. MSAL caches the token and fetches a new one before it
/// expires. A token that cannot be had is reported as <see cref="HttpRequestException"/>, the failure
/// the Connector client already retries and logs.
/// </summary>
public sealed partial class MsalAppCredentials : IAppCredentials
{
    private readonly IConfidentialClientApplication _app;
    private readonly string[] _scopes;
    private readonly ILogger<MsalAppCredentials> _logger;

    public MsalAppCredentials(IOptions<BotFrameworkOptions> options, ILogger<MsalAppCredentials> logger)
        : this(options, logger, httpClientFactory: null)
    {
    }

    /// <summary>For tests: MSAL's HTTP goes through <paramref name="httpClientFactory"/> (e.g. to trust a local test certificate).</summary>
    internal MsalAppCredentials(IOptions<BotFrameworkOptions> options, ILogger<MsalAppCredentials> logger, IMsalHttpClientFactory? httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (value.IsAnonymous)
        {
            throw new InvalidOperationException("MsalAppCredentials needs BotFramework:MicrosoftAppId.");
        }

        if (string.IsNullOrEmpty(value.MicrosoftAppPassword))
        {
            throw new InvalidOperationException("MsalAppCredentials needs BotFramework:MicrosoftAppPassword.");
        }

        _logger = logger;
        _scopes = [value.OAuthScope];
        var builder = ConfidentialClientApplicationBuilder.Create(value.MicrosoftAppId)
            .WithClientSecret(value.MicrosoftAppPassword)
            .WithAuthority(Authority(value.OAuthAuthority, value.MicrosoftAppTenantId), validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithLogging(OnMsalLog, Microsoft.Identity.Client.LogLevel.Warning, enablePiiLogging: false, enableDefaultPlatformLogging: false);
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        _app = builder.Build();
    }

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await _app.AcquireTokenForClient(_scopes).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return result.AccessToken;
        }
        catch (MsalException e)
        {
            LogTokenFailed(_logger, e.ErrorCode);
            throw new HttpRequestException($"No Bot Framework token could be had ({e.ErrorCode}).", e);
        }
    }

    /// <summary>The authority with its last path segment (the tenant) replaced by <paramref name="tenantId"/> when one is given.</summary>
    internal static string Authority(string authority, string? tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authority);
        var trimmed = authority.TrimEnd('/');
        if (string.IsNullOrWhiteSpace(tenantId))
        {
            return trimmed;
        }

        var uri = new Uri(trimmed, UriKind.Absolute);
        var path = uri.AbsolutePath.TrimEnd('/');
        var lastSlash = path.LastIndexOf('/');
        var basePath = lastSlash > 0 ? path[..lastSlash] : string.Empty;
        return $"{uri.GetLeftPart(UriPartial.Authority)}{basePath}/{Uri.EscapeDataString(tenantId.Trim())}";
    }

    private void OnMsalLog(Microsoft.Identity.Client.LogLevel level, string message, bool containsPii)
    {
        if (!containsPii)
        {
            LogMsal(_logger, level, message);
        }
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not get the bot's Bot Framework token: {ErrorCode}.")]
    private static partial void LogTokenFailed(ILogger logger, string errorCode);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "MSAL {Level}: {Message}")]
    private static partial void LogMsal(ILogger logger, Microsoft.Identity.Client.LogLevel level, string message);
}
