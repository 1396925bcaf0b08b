using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.Authentication;

public static class BotFrameworkAuthenticationExtensions
{
    /// <summary>
    /// Binds <see cref="BotFrameworkOptions"/> from the <c>BotFramework</c> section (the top-level
    /// <c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c> and <c>MicrosoftAppTenantId</c> keys of the Bot
    /// Framework samples fill what the section leaves empty), validates them on start, and registers
    /// <see cref="IChannelAuthenticator"/> and <see cref="IAppCredentials"/>: anonymous with no app id
    /// (the Emulator's local mode), else <see cref="JwtChannelAuthenticator"/> and <see cref="MsalAppCredentials"/>.
    /// </summary>
    public static IServiceCollection AddBotFrameworkAuthentication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BotFrameworkOptions>()
            .BindConfiguration(BotFrameworkOptions.Section)
            .PostConfigure<IConfiguration>(ApplyTopLevelKeys)
            .ValidateDataAnnotations()
            .Validate(
                o => o.IsAnonymous || !string.IsNullOrWhiteSpace(o.MicrosoftAppPassword),
                "BotFramework:MicrosoftAppPassword (or MicrosoftAppPassword) is required when a MicrosoftAppId is set.")
            .Validate(
                o => o.IsAnonymous || Uri.TryCreate(o.OpenIdMetadataUrl, UriKind.Absolute, out _),
                "BotFramework:OpenIdMetadataUrl must be an absolute URL.")
            .ValidateOnStart();

        services.AddHttpClient(JwtChannelAuthenticator.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton<AnonymousAuthenticator>();
        services.TryAddSingleton<IChannelAuthenticator>(sp => IsAnonymous(sp)
            ? sp.GetRequiredService<AnonymousAuthenticator>()
            : ActivatorUtilities.CreateInstance<JwtChannelAuthenticator>(sp));
        services.TryAddSingleton<IAppCredentials>(sp => IsAnonymous(sp)
            ? sp.GetRequiredService<AnonymousAuthenticator>()
            : ActivatorUtilities.CreateInstance<MsalAppCredentials>(sp));
        return services;
    }

    private static bool IsAnonymous(IServiceProvider services) =>
        services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.IsAnonymous;

    private static void ApplyTopLevelKeys(BotFrameworkOptions options, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(options.MicrosoftAppId))
        {
            options.MicrosoftAppId = NullIfBlank(configuration["MicrosoftAppId"]);
        }

        if (string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
        {
            options.MicrosoftAppPassword = NullIfBlank(configuration["MicrosoftAppPassword"]);
        }

        if (string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
        {
            options.MicrosoftAppTenantId = NullIfBlank(configuration["MicrosoftAppTenantId"]);
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
