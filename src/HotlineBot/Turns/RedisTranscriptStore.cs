using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Turns;

/// <summary>
/// Conversation transcripts in the shared Redis (scaled out), so a case opened on one instance carries the
/// lines of the turns every instance answered. One list per conversation,
/// <c>{prefix}transcripts:{channelId}:{conversationId}</c>, each item a masked line as JSON, in the order the
/// lines reached Redis (the turn order: a conversation's turns run one at a time under its lock). A line is
/// written before <see cref="LogActivityAsync"/> returns, so the next turn on any instance reads it; while
/// Redis is out of reach the write fails and so does the turn. Only the recent lines of a conversation are
/// kept, and a conversation nobody wrote to for a while is forgotten.
/// </summary>
public sealed class RedisTranscriptStore : ITranscriptStore
{
    /// <summary>Lines kept per conversation; more than any reader asks for (a handoff reads 60).</summary>
    public const int DefaultMaxLines = 500;

    /// <summary>KEYS: the conversation's list. ARGV: the line's JSON, lines kept, idle time-out in ms. Appends, caps, refreshes the expiry.</summary>
    private const string AppendScript = """
        redis.call('RPUSH', KEYS[1], ARGV[1])
        redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    /// <summary>How long a conversation's transcript outlives its last line by default.</summary>
    public static readonly TimeSpan DefaultIdleExpiry = TimeSpan.FromDays(30);

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly int _maxLines;
    private readonly long _idleMilliseconds;

    public RedisTranscriptStore(IConnectionMultiplexer connection, RedisKeys keys, int maxLines = DefaultMaxLines, TimeSpan? idleExpiry = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var idle = idleExpiry ?? DefaultIdleExpiry;
        ArgumentOutOfRangeException.ThrowIfLessThan(idle, TimeSpan.FromMilliseconds(1));
        _database = connection.GetDatabase();
        _keys = keys;
        _maxLines = maxLines;
        _idleMilliseconds = (long)idle.TotalMilliseconds;
    }

    /// <summary>Appends the activity's masked line to its conversation's list, in one round trip, before returning.</summary>
    public async Task LogActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (TranscriptLines.From(activity) is not { } line)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _database.ScriptEvaluateAsync(
            AppendScript,
            [Key(line.ChannelId, line.ConversationId)],
            [TranscriptLines.Serialize(line.Line), _maxLines, _idleMilliseconds]).ConfigureAwait(false);
    }

    /// <summary>
    /// The last <paramref name="max"/> lines as activities (who, what, when, and the reply kind in
    /// <c>channelData.hotline</c>), whichever instance logged them, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> GetTranscriptActivitiesAsync(string channelId, string conversationId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var items = await _database.ListRangeAsync(Key(channelId, conversationId), -max, -1).ConfigureAwait(false);
        return [.. items.Select(item => TranscriptLines.ToActivity(TranscriptLines.Deserialize(item!), channelId, conversationId))];
    }

    private RedisKey Key(string channelId, string conversationId) => _keys.Key("transcripts", channelId, conversationId);
}
