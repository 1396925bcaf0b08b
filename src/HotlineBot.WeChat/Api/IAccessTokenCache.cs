namespace HotlineBot.WeChat.Api;

/// <summary>
/// Where the access token lives between calls. WeChat wants ONE refresher per AppID (a new token can retire the
/// old one), so an implementation runs at most one fetch at a time: <see cref="InMemoryAccessTokenCache"/> within a
/// process, <see cref="RedisAccessTokenCache"/> across every instance sharing a Redis.
/// </summary>
public interface IAccessTokenCache
{
    /// <summary>The cached token for <paramref name="appId"/> while fresh; otherwise calls <paramref name="fetch"/> (never two at once) and keeps its result.</summary>
    Task<AccessToken> GetOrFetchAsync(string appId, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken);

    /// <summary>Drops the cached token, but only if it is still <paramref name="rejectedToken"/> (another caller may have replaced it already).</summary>
    Task InvalidateAsync(string appId, string rejectedToken, CancellationToken cancellationToken);
}
