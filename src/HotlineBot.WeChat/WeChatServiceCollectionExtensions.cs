using HotlineBot.BotFramework.Connector;
using HotlineBot.WeChat.Api;
using HotlineBot.WeChat.Channel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.WeChat;

public static class WeChatServiceCollectionExtensions
{
    /// <summary>The named HttpClient of the WeChat API; its time-out bounds each call (a timed-out send is not repeated).</summary>
    public const string HttpClientName = "wechat";

    /// <summary>
    /// The WeChat channel: <see cref="WeChatOptions"/> from <see cref="WeChatOptions.SectionName"/>, checked on start when
    /// the channel is on; the API client with its token cache (in process unless an <see cref="IAccessTokenCache"/> is
    /// registered before); the sender and the channel; and the registered <see cref="IConnectorClient"/> wrapped so that
    /// proactive messages for WeChat conversations go out through the customer-service API. The host registers the
    /// push log and send window (<c>HotlineBot.WeChat.Storage</c>), the adapter and the bot, and maps
    /// <see cref="WeChatEndpoints.MapWeChat"/> when the channel is on.
    /// </summary>
    public static IServiceCollection AddWeChatChannel(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WeChatOptions>().BindConfiguration(WeChatOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WeChatOptions>, WeChatOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAccessTokenCache>(sp => new InMemoryAccessTokenCache(sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new WeChatApiClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<WeChatOptions>>().Value,
            sp.GetRequiredService<IAccessTokenCache>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WeChatApiClient>>()));
        services.AddSingleton<WeChatSender>();
        services.AddSingleton<WeChatChannel>();
        // Off (no Token): nothing to wrap, and no API client to build without an AppId.
        services.DecorateConnectorClient((sp, inner) => sp.GetRequiredService<IOptions<WeChatOptions>>().Value.Enabled
            ? new WeChatConnectorClient(inner, sp.GetRequiredService<WeChatSender>())
            : inner);
        return services;
    }

    /// <summary>Fails start-up with every problem <see cref="WeChatOptions.Validate"/> finds.</summary>
    private sealed class WeChatOptionsValidation : IValidateOptions<WeChatOptions>
    {
        public ValidateOptionsResult Validate(string? name, WeChatOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
