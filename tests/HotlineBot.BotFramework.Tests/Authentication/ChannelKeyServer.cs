using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using HotlineBot.BotFramework.Authentication;
using HotlineBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace HotlineBot.BotFramework.Tests.Authentication;

/// <summary>
/// A stand-in for login.botframework.com on a real Kestrel server (127.0.0.1, a free port): the
/// OpenID metadata document and a JWKS whose keys carry Bot Framework <c>endorsements</c>, with RSA
/// keys made for the test run. It also signs channel tokens with those keys.
/// </summary>
public sealed class ChannelKeyServer : IAsyncLifetime
{
    public const string Issuer = "https://api.botframework.com";
    public const string AppId = "8f1c3a52-7c1e-4c55-9a4e-2f0d6b1e9a10";
    public const string ServiceUrl = "https://webchat.botframework.com/";

    /// <summary>Endorsed for webchat, directline and msteams.</summary>
    public const string WebChatKeyId = "key-webchat";

    /// <summary>Endorsed for msteams only.</summary>
    public const string TeamsKeyId = "key-teams";

    /// <summary>Endorsed for webchat; published only after <see cref="PublishRotatedKey"/>.</summary>
    public const string RotatedKeyId = "key-rotated";

    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] AuthMethods = ["private_key_jwt"];

    private readonly RSA _webChatKey = RSA.Create(2048);
    private readonly RSA _teamsKey = RSA.Create(2048);
    private readonly RSA _strangerKey = RSA.Create(2048);
    private readonly RSA _rotatedKey = RSA.Create(2048);
    private volatile bool _rotatedKeyPublished;
    private WebApplication? _app;
    private int _metadataRequests;
    private int _keyRequests;

    public Uri BaseAddress { get; private set; } = null!;

    public string MetadataUrl => new Uri(BaseAddress, "v1/.well-known/openidconfiguration").AbsoluteUri;

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    public int KeyRequests => Volatile.Read(ref _keyRequests);

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref _metadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = new Uri(BaseAddress, "v1/.well-known/keys").AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
                ["token_endpoint_auth_methods_supported"] = AuthMethods,
            });
        });
        _app.MapGet("/v1/.well-known/keys", () =>
        {
            Interlocked.Increment(ref _keyRequests);
            var keys = new List<Dictionary<string, object>>
            {
                Jwk(_webChatKey, WebChatKeyId, ["webchat", "directline", "msteams"]),
                Jwk(_teamsKey, TeamsKeyId, ["msteams"]),
            };
            if (_rotatedKeyPublished)
            {
                keys.Add(Jwk(_rotatedKey, RotatedKeyId, ["webchat"]));
            }

            return Results.Json(new { keys });
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Urls.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _webChatKey.Dispose();
        _teamsKey.Dispose();
        _strangerKey.Dispose();
        _rotatedKey.Dispose();
    }

    /// <summary>The channel starts signing with a new key: from now on the key set lists it.</summary>
    public void PublishRotatedKey() => _rotatedKeyPublished = true;

    /// <summary>A channel token as the Bot Connector sends it; each argument spoils one part of it.</summary>
    public string Token(
        string keyId = WebChatKeyId,
        string issuer = Issuer,
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        TimeSpan? expiresIn = null,
        bool signWithStrangerKey = false)
    {
        var rsa = signWithStrangerKey ? _strangerKey : keyId switch
        {
            TeamsKeyId => _teamsKey,
            RotatedKeyId => _rotatedKey,
            _ => _webChatKey,
        };
        var credentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromHours(1));
        var claims = new List<Claim>();
        if (serviceUrl is not null)
        {
            claims.Add(new Claim("serviceurl", serviceUrl));
        }

        var token = new JwtSecurityToken(issuer, audience, claims, notBefore: expires - TimeSpan.FromHours(2), expires: expires, signingCredentials: credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>A service provider set up the way the host sets it up, pointed at this server.</summary>
    public ServiceProvider Services(string? appId = AppId) =>
        BuildServices(new Dictionary<string, string?>
        {
            ["BotFramework:MicrosoftAppId"] = appId,
            ["BotFramework:MicrosoftAppPassword"] = "not-used-by-inbound-checks",
            ["BotFramework:OpenIdMetadataUrl"] = MetadataUrl,
            ["BotFramework:ChannelTokenIssuer"] = Issuer,
        });

    public static ServiceProvider BuildServices(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddBotFrameworkAuthentication();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static Activity Message(string channelId = "webchat", string? serviceUrl = ServiceUrl) => new()
    {
        Type = ActivityTypes.Message,
        Id = "activity-1",
        ChannelId = channelId,
        ServiceUrl = serviceUrl,
        Conversation = new ConversationAccount { Id = "conversation-1" },
        From = new ChannelAccount { Id = "user-1", Role = RoleTypes.User },
        Recipient = new ChannelAccount { Id = AppId, Role = RoleTypes.Bot },
        Text = "你好",
    };

    private static Dictionary<string, object> Jwk(RSA rsa, string keyId, string[] endorsements)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = keyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            ["endorsements"] = endorsements,
        };
    }
}
