using System.Globalization;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.WeChat.Api;

/// <summary>
/// The access token shared by every instance through Redis, so a scaled-out hotline has ONE refresher per AppID (each
/// fetch can retire the token the other instances hold). The token is stored with its refresh and expiry instants;
/// a short lock (SET NX PX) lets one instance fetch while the others wait briefly and read its result. Within the
/// process a gate keeps concurrent callers down to one Redis round of this. Register it as a singleton.
/// </summary>
public sealed class RedisAccessTokenCache : IAccessTokenCache, IDisposable
{
    /// <summary>How long the fetch lock lives if its holder dies; longer than a stable_token call takes.</summary>
    public static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(10);

    /// <summary>How long a caller waits for another instance's fetch before giving up.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public RedisAccessTokenCache(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider? time = null)
    {
        _redis = redis;
        _keys = keys;
        _time = time ?? TimeProvider.System;
    }

    public async Task<AccessToken> GetOrFetchAsync(string appId, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var database = _redis.GetDatabase();
        var key = TokenKey(appId);
        if (await ReadFreshAsync(database, key).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lockKey = (RedisKey)_keys.Key("wechat", "token-lock", appId);
            var owner = (RedisValue)Guid.NewGuid().ToString("N");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                if (await ReadFreshAsync(database, key).ConfigureAwait(false) is { } fresh)
                {
                    return fresh;
                }

                if (await database.LockTakeAsync(lockKey, owner, LockLifetime).ConfigureAwait(false))
                {
                    try
                    {
                        // Another instance may have stored a token between our read and our lock.
                        if (await ReadFreshAsync(database, key).ConfigureAwait(false) is { } stored)
                        {
                            return stored;
                        }

                        var token = await fetch(cancellationToken).ConfigureAwait(false);
                        var lifetime = token.ExpiresAt - _time.GetUtcNow();
                        if (lifetime > TimeSpan.Zero)
                        {
                            await database.StringSetAsync(key, Format(token), lifetime).ConfigureAwait(false);
                        }

                        return token;
                    }
                    finally
                    {
                        await database.LockReleaseAsync(lockKey, owner).ConfigureAwait(false);
                    }
                }

                if (waited.Elapsed > MaxWait)
                {
                    throw new TimeoutException($"No WeChat access token for {appId} within {MaxWait.TotalSeconds:0} s: another instance holds the fetch lock.");
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task InvalidateAsync(string appId, string rejectedToken, CancellationToken cancellationToken)
    {
        var database = _redis.GetDatabase();
        var key = TokenKey(appId);
        var raw = await database.StringGetAsync(key).ConfigureAwait(false);
        if (raw.IsNull || Parse(raw)?.Value != rejectedToken)
        {
            return;
        }

        // Delete only the exact value read (LockRelease is Redis' atomic compare-and-delete): a token another instance stored meanwhile stays.
        await database.LockReleaseAsync(key, raw).ConfigureAwait(false);
    }

    public void Dispose() => _gate.Dispose();

    private RedisKey TokenKey(string appId) => _keys.Key("wechat", "token", appId);

    private async Task<AccessToken?> ReadFreshAsync(IDatabase database, RedisKey key)
    {
        var raw = await database.StringGetAsync(key).ConfigureAwait(false);
        return raw.IsNull ? null : Parse(raw) is { } token && token.IsFresh(_time.GetUtcNow()) ? token : null;
    }

    // "<refresh at, Unix ms>|<expires at, Unix ms>|<token>": the token itself never holds '|'.
    private static string Format(AccessToken token) => string.Create(
        CultureInfo.InvariantCulture,
        $"{token.RefreshAt.ToUnixTimeMilliseconds()}|{token.ExpiresAt.ToUnixTimeMilliseconds()}|{token.Value}");

    private static AccessToken? Parse(RedisValue raw)
    {
        var parts = raw.ToString().Split('|', 3);
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var refreshAt)
            && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiresAt)
            ? new AccessToken(parts[2], DateTimeOffset.FromUnixTimeMilliseconds(refreshAt), DateTimeOffset.FromUnixTimeMilliseconds(expiresAt))
            : null;
    }
}
