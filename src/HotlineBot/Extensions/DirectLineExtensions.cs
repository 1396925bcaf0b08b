using HotlineBot.BotFramework.DirectLine;
using HotlineBot.DirectLine;
using HotlineBot.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class DirectLineExtensions
{
    public const string Section = "Hotline:DirectLine";

    /// <summary>The Direct Line token signing key under the data directory (apart from the API's token-key).</summary>
    public const string KeyFileName = "directline-key";

    /// <summary>512 bits: well above HS256's 256-bit minimum.</summary>
    private const int KeyBytes = 64;

    /// <summary>
    /// The Direct Line 3.0 channel the service hosts for itself (Web Chat talks to it): options from
    /// <c>Hotline:DirectLine</c> (<c>Secret</c>, <c>TokenLifetime</c>, <c>IdleMargin</c>,
    /// <c>MaxActivitiesPerConversation</c>, <c>PageSize</c>, <c>TokensPerMinute</c>) validated on start, tokens
    /// signed with <c>directline-key</c> under the data directory, conversations in memory (scaled out: both in
    /// Redis), and the bot's
    /// replies and proactive messages for Direct Line conversations routed into them in process. Call after
    /// <c>AddBot</c>, whose connector it wraps.
    /// </summary>
    public static IServiceCollection AddDirectLine(this IServiceCollection services)
    {
        services.AddOptions<DirectLineOptions>()
            .Configure(o =>
            {
                o.BotId = "hotline-bot";
                o.BotName = "HotlineBot";
            })
            .BindConfiguration(Section);
        // Scaled out, conversations and the signing key are shared, so a page may reconnect to any instance.
        services.AddShared<IDirectLineStore>(
            (sp, redis) => new RedisDirectLineStore(redis.Connection, redis.Keys, sp.GetRequiredService<IOptions<DirectLineOptions>>(), sp.GetRequiredService<TimeProvider>()),
            sp => ActivatorUtilities.CreateInstance<InMemoryDirectLineStore>(sp));
        services.AddDirectLineChannel(sp => sp.GetRequiredService<HotlineRedis>() is { Enabled: true } redis
            ? new RedisSigningKeySource(redis.Connection, redis.Keys, KeyFileName).LoadOrCreate(KeyBytes)
            : KeyFile.LoadOrCreate(Path.Combine(Path.GetFullPath(sp.GetRequiredService<IOptions<HotlineOptions>>().Value.DataDirectory), KeyFileName), KeyBytes));

        services.AddOptions<ChatTokenOptions>().BindConfiguration(Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, ChatTokenRateLimit>(ChatTokenRateLimit.PolicyName));
        return services;
    }

    /// <summary>
    /// WebSockets (the Direct Line stream), the rate limiter (which only <c>POST /api/chat/token</c> uses),
    /// the Direct Line API under <c>/v3/directline</c> and the page's token endpoint.
    /// </summary>
    public static WebApplication MapDirectLine(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets();
        app.UseRateLimiter();
        app.MapDirectLineApi();
        app.MapChatToken();
        return app;
    }
}
