using HotlineBot.BotFramework.Builder;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Storage;

/// <summary>
/// Conversation locks across instances (scaled out): <c>SET {prefix}turnlock:{conversation} token NX PX lease</c>,
/// retried every few milliseconds; released only by the token's holder. The lease ends a lock whose instance
/// died mid-turn; a turn that waits longer than <c>wait</c> goes ahead anyway (the state's ETag check decides),
/// so a stuck lock never silences a worker.
/// </summary>
public sealed class RedisConversationLocks(IConnectionMultiplexer connection, RedisKeys keys, ILogger<RedisConversationLocks> logger, TimeSpan? wait = null, TimeSpan? lease = null)
    : IConversationLocks
{
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(50);

    private readonly TimeSpan _wait = wait ?? TimeSpan.FromSeconds(10);
    private readonly TimeSpan _lease = lease ?? TimeSpan.FromSeconds(30);

    public async Task<IAsyncDisposable> AcquireAsync(string conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var database = connection.GetDatabase();
        var key = (RedisKey)keys.Key("turnlock", conversation);
        var token = Guid.NewGuid().ToString("N");
        var deadline = DateTime.UtcNow + _wait;
        var retry = FirstRetry;
        while (!await database.StringSetAsync(key, token, _lease, When.NotExists).ConfigureAwait(false))
        {
            if (DateTime.UtcNow >= deadline)
            {
                logger.LogWarning("Conversation {Conversation} stayed locked for {Wait}; the turn goes ahead without the lock", conversation, _wait);
                return new Release(null, key, token);
            }

            await Task.Delay(retry, cancellationToken).ConfigureAwait(false);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }

        return new Release(database, key, token);
    }

    private sealed class Release(IDatabase? database, RedisKey key, string token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (database is null)
            {
                return;
            }

            try
            {
                await database.ScriptEvaluateAsync(ReleaseScript, [key], [token]).ConfigureAwait(false);
            }
            catch (Exception e) when (RedisOutage.Is(e))
            {
                // Redis went away mid-turn: the lease frees the lock, and the turn's own failure is reported elsewhere.
            }
        }
    }
}
