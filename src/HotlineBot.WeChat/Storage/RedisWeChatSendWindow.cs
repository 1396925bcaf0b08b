using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.WeChat.Storage;

/// <summary>
/// The send allowances in the shared Redis (scaled out): one hash per follower under <c>{prefix}wechat:send:{openid}</c>
/// with each allowance's trigger time (Unix ms) and sends left (<c>m_at</c>, <c>m_left</c>, <c>i_at</c>, <c>i_left</c>).
/// Every change is one Lua script, so instances reserving at once never over-grant. The hash expires when the window a
/// trigger opened would have closed (48 h after a message).
/// </summary>
public sealed class RedisWeChatSendWindow : IWeChatSendWindow
{
    /// <summary>Resets one allowance unless a later trigger opened it (ARGV: field prefix, at, quota, window ms).</summary>
    private const string OpenScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. '_at'))
        if current and current > tonumber(ARGV[2]) then
            return 0
        end
        redis.call('HSET', KEYS[1], ARGV[1] .. '_at', ARGV[2], ARGV[1] .. '_left', ARGV[3])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """;

    /// <summary>Takes from the open Interaction, then the open Message allowance (ARGV: now, wanted, message window, interaction window).</summary>
    private const string ReserveScript = """
        local now, wanted = tonumber(ARGV[1]), tonumber(ARGV[2])
        local granted = 0
        local function take(prefix, window)
            local at = tonumber(redis.call('HGET', KEYS[1], prefix .. '_at'))
            if not at or at + window <= now then
                return
            end
            local n = math.min(wanted - granted, tonumber(redis.call('HGET', KEYS[1], prefix .. '_left')))
            if n > 0 then
                redis.call('HINCRBY', KEYS[1], prefix .. '_left', -n)
                granted = granted + n
            end
        end
        take('i', tonumber(ARGV[4]))
        take('m', tonumber(ARGV[3]))
        return granted
        """;

    /// <summary>
    /// Gives back to the open Message, then the open Interaction allowance, up to each quota
    /// (ARGV: now, count, message window, interaction window, message quota, interaction quota).
    /// </summary>
    private const string ReleaseScript = """
        local now, count = tonumber(ARGV[1]), tonumber(ARGV[2])
        local function give(prefix, window, quota)
            local at = tonumber(redis.call('HGET', KEYS[1], prefix .. '_at'))
            if not at or at + window <= now then
                return
            end
            local n = math.min(count, quota - tonumber(redis.call('HGET', KEYS[1], prefix .. '_left')))
            if n > 0 then
                redis.call('HINCRBY', KEYS[1], prefix .. '_left', n)
                count = count - n
            end
        end
        give('m', tonumber(ARGV[3]), tonumber(ARGV[5]))
        give('i', tonumber(ARGV[4]), tonumber(ARGV[6]))
        return count
        """;

    private static readonly long MessageWindow = (long)WeChatQuota.MessageWindow.TotalMilliseconds;
    private static readonly long InteractionWindow = (long)WeChatQuota.InteractionWindow.TotalMilliseconds;

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    public RedisWeChatSendWindow(IConnectionMultiplexer connection, RedisKeys keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        _database = connection.GetDatabase();
        _keys = keys;
    }

    public async Task OpenAsync(string openId, WeChatTrigger trigger, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        RedisValue[] arguments = trigger switch
        {
            WeChatTrigger.Message => ["m", at.ToUnixTimeMilliseconds(), WeChatQuota.MessageSends, MessageWindow],
            WeChatTrigger.Interaction => ["i", at.ToUnixTimeMilliseconds(), WeChatQuota.InteractionSends, InteractionWindow],
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
        };
        cancellationToken.ThrowIfCancellationRequested();
        await _database.ScriptEvaluateAsync(OpenScript, [Key(openId)], arguments).ConfigureAwait(false);
    }

    public async Task<int> ReserveAsync(string openId, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        cancellationToken.ThrowIfCancellationRequested();
        var granted = await _database.ScriptEvaluateAsync(
            ReserveScript,
            [Key(openId)],
            [now.ToUnixTimeMilliseconds(), wanted, MessageWindow, InteractionWindow]).ConfigureAwait(false);
        return (int)granted;
    }

    public async Task ReleaseAsync(string openId, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        cancellationToken.ThrowIfCancellationRequested();
        await _database.ScriptEvaluateAsync(
            ReleaseScript,
            [Key(openId)],
            [now.ToUnixTimeMilliseconds(), count, MessageWindow, InteractionWindow, WeChatQuota.MessageSends, WeChatQuota.InteractionSends]).ConfigureAwait(false);
    }

    private RedisKey Key(string openId) => _keys.Key("wechat", "send", openId);
}
