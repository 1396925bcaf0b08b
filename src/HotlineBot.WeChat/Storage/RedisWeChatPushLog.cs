using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.WeChat.Storage;

/// <summary>
/// The push log in the shared Redis (scaled out): one string per push under <c>{prefix}wechat:push:{key}</c> that
/// lives for the retention. It holds <c>-</c> while the first delivery runs its turn and <c>=</c> and the reply
/// afterwards. Claim and complete are Lua scripts, so of several deliveries on any instances exactly one claims, and
/// completing keeps the key's time to live.
/// </summary>
public sealed class RedisWeChatPushLog : IWeChatPushLog
{
    /// <summary>Marks a stored reply (a pending claim holds <c>-</c>, set by the scripts).</summary>
    private const string Answered = "=";

    /// <summary>Returns what the key holds, or nil after creating it as pending (ARGV: retention in ms).</summary>
    private const string ClaimScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then
            return existing
        end
        redis.call('SET', KEYS[1], '-', 'PX', ARGV[1])
        return false
        """;

    /// <summary>Stores the reply unless one is stored already (ARGV: '=' .. reply, retention in ms).</summary>
    private const string CompleteScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing == '-' then
            redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
        elseif not existing then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        end
        return 0
        """;

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly long _retentionMilliseconds;

    /// <param name="connection">The shared Redis.</param>
    /// <param name="keys">Where the hotline's keys live.</param>
    /// <param name="retention">How long a push is remembered; <see cref="IWeChatPushLog.Retention"/> unless a test says otherwise.</param>
    public RedisWeChatPushLog(IConnectionMultiplexer connection, RedisKeys keys, TimeSpan? retention = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        var lifetime = retention ?? IWeChatPushLog.Retention;
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromMilliseconds(1), nameof(retention));
        _database = connection.GetDatabase();
        _keys = keys;
        _retentionMilliseconds = (long)lifetime.TotalMilliseconds;
    }

    public async Task<PushClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        var existing = await _database.ScriptEvaluateAsync(ClaimScript, [Key(key)], [_retentionMilliseconds]).ConfigureAwait(false);
        if (existing.IsNull)
        {
            return new PushClaim(true, null);
        }

        var stored = (string)existing!;
        return new PushClaim(false, stored.StartsWith(Answered, StringComparison.Ordinal) ? stored[Answered.Length..] : null);
    }

    public async Task CompleteAsync(string key, string reply, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(reply);
        cancellationToken.ThrowIfCancellationRequested();
        await _database.ScriptEvaluateAsync(CompleteScript, [Key(key)], [Answered + reply, _retentionMilliseconds]).ConfigureAwait(false);
    }

    private RedisKey Key(string key) => _keys.Key("wechat", "push", key);
}
