using System.ComponentModel.DataAnnotations;

namespace HotlineBot.BotFramework.Authentication;

/// <summary>The bot's identity on the Bot Framework (config section <c>BotFramework</c>, or the usual top-level keys).</summary>
public sealed class BotFrameworkOptions
{
    public const string Section = "BotFramework";

    /// <summary>The bot's Microsoft App ID. Empty: anonymous local traffic is accepted (the Emulator's way).</summary>
    public string? MicrosoftAppId { get; set; }

    public string? MicrosoftAppPassword { get; set; }

    /// <summary>Single-tenant bots give their tenant; multi-tenant bots use botframework.com.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>Where the channel's signing keys are published.</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The issuer of channel tokens.</summary>
    public string ChannelTokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Where outbound tokens come from (client credentials).</summary>
    public string OAuthAuthority { get; set; } = "https://login.microsoftonline.com/botframework.com";

    public string OAuthScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Larger activities are refused with 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    public bool IsAnonymous => string.IsNullOrWhiteSpace(MicrosoftAppId);
}
