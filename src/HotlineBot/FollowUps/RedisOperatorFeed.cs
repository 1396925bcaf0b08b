using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.FollowUps;

/// <summary>
/// The operators' feed in the shared Redis (scaled out), so a console polling any instance sees the
/// notifications of all of them. A sorted set <c>{prefix}feed</c> holds each notification as JSON (id, time
/// and the notification's fields) scored by its id, which the counter <c>{prefix}feed:next</c> hands out.
/// Notifying is one Lua script (take the next id, add, trim to <see cref="OperatorFeed.Capacity"/>), so ids
/// rise strictly across instances and the set never holds more than its capacity. It lives as long as the
/// Redis data (append-only file), but cases stay the durable record.
/// </summary>
public sealed class RedisOperatorFeed : IOperatorFeed
{
    /// <summary>KEYS: feed set, id counter. ARGV: the item's JSON without its id, capacity. Returns the id.</summary>
    private const string NotifyScript = """
        local id = redis.call('INCR', KEYS[2])
        redis.call('ZADD', KEYS[1], id, '{"id":' .. string.format('%d', id) .. ',' .. string.sub(ARGV[1], 2))
        redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
        return id
        """;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly IDatabase _database;
    private readonly RedisKey _feedKey;
    private readonly RedisKey _nextKey;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisOperatorFeed> _logger;

    public RedisOperatorFeed(IConnectionMultiplexer connection, RedisKeys keys, TimeProvider time, ILogger<RedisOperatorFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _database = connection.GetDatabase();
        _feedKey = keys.Key("feed");
        _nextKey = keys.Key("feed", "next");
        _time = time;
        _logger = logger;
    }

    public async Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        cancellationToken.ThrowIfCancellationRequested();
        var at = _time.GetUtcNow();
        // Serialized without its id (not known yet); the script writes the id in front of the other fields.
        var json = JsonSerializer.Serialize(StoredItem.From(new FeedItem(0, at, notification)), JsonOptions);
        var id = (long)await _database.ScriptEvaluateAsync(NotifyScript, [_feedKey, _nextKey], [json, OperatorFeed.Capacity]).ConfigureAwait(false);
        new FeedItem(id, at, notification).Log(_logger);
    }

    public async Task<IReadOnlyList<FeedItem>> ReadAsync(long after, string username, string role, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entries = await _database.SortedSetRangeByScoreAsync(_feedKey, after, double.PositiveInfinity, Exclude.Start).ConfigureAwait(false);
        return [.. entries.Select(Parse).Where(i => i.IsFor(username, role))];
    }

    private static FeedItem Parse(RedisValue entry) =>
        (JsonSerializer.Deserialize<StoredItem>((string)entry!, JsonOptions) ?? throw new JsonException("A stored notification is null.")).ToItem();

    /// <summary>A notification as stored: flat JSON, the id left out while it is still 0 (before the script numbers it).</summary>
    private sealed record StoredItem(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long Id,
        DateTimeOffset At,
        string CaseId,
        NotificationAudience Audience,
        string Kind,
        string Text,
        string? Operator)
    {
        public static StoredItem From(FeedItem item) =>
            new(item.Id, item.At, item.Notification.CaseId, item.Notification.Audience, item.Notification.Kind, item.Notification.Text, item.Notification.Operator);

        public FeedItem ToItem() => new(Id, At, new OperatorNotification(CaseId, Audience, Kind, Text, Operator));
    }
}
