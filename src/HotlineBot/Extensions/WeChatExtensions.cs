using HotlineBot.WeChat;
using HotlineBot.WeChat.Api;
using HotlineBot.WeChat.Channel;
using HotlineBot.WeChat.Storage;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class WeChatExtensions
{
    /// <summary>The channel's records under the data directory: pushes already answered and each follower's reply quota.</summary>
    public const string FileName = "wechat.db";

    /// <summary>
    /// The WeChat Official Account channel (<c>Hotline:WeChat</c>; off while no Token is set): the push log and reply
    /// quota in <c>wechat.db</c> (scaled out: in Redis, with the access token, so every instance agrees on them and one
    /// fetches the token for all). Call after <c>AddBot</c>, whose connector it wraps.
    /// </summary>
    public static IServiceCollection AddWeChat(this IServiceCollection services)
    {
        services.AddShared<IAccessTokenCache>(
            (sp, redis) => new RedisAccessTokenCache(redis.Connection, redis.Keys, sp.GetRequiredService<TimeProvider>()),
            sp => new InMemoryAccessTokenCache(sp.GetRequiredService<TimeProvider>()));
        services.AddShared<IWeChatPushLog>(
            (sp, redis) => new RedisWeChatPushLog(redis.Connection, redis.Keys),
            sp => new SqliteWeChatPushLog(DataFile(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddShared<IWeChatSendWindow>(
            (_, redis) => new RedisWeChatSendWindow(redis.Connection, redis.Keys),
            sp => new SqliteWeChatSendWindow(DataFile(sp)));
        return services.AddWeChatChannel();
    }

    /// <summary><c>GET|POST /api/wechat</c>, when the channel is on.</summary>
    public static WebApplication MapWeChat(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<WeChatOptions>>().Value.Enabled)
        {
            WeChatEndpoints.MapWeChat(app);
        }

        return app;
    }

    private static string DataFile(IServiceProvider services) =>
        Path.Combine(Path.GetFullPath(services.GetRequiredService<IOptions<HotlineOptions>>().Value.DataDirectory), FileName);
}
