using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using HotlineBot.BotFramework.DirectLine;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HotlineBot.DirectLine;

/// <summary>
/// Direct Line queues in the shared Redis (scaled out), so a page that reconnects to another instance
/// reads on from its watermark. Per conversation, under <c>{prefix}directline:{id}:</c>: <c>meta</c> (a hash:
/// generation, first and last sequence, last timestamp, last use, bytes kept), <c>log</c> (a list of the
/// kept activities, oldest first, so the n-th holds sequence <c>first + n</c>) and <c>origins</c> (sender
/// ids to what they were stored as). Ids and watermarks are spelled as the in-memory store spells them
/// (generation and sequence). Every change is one Lua script, which also trims the queue, renews the
/// keys' time to live (the idle timeout; Redis drops a queue nobody uses) and publishes on the
/// conversation's channel, so the streams of every instance learn of it. An append is optimistic: it
/// builds the activity for the next sequence and the script stores it only if that is still next.
/// </summary>
public sealed class RedisDirectLineStore : IDirectLineStore
{
    private const int GenerationLength = 8;

    /// <summary>How many changes a subscriber may fall behind before the oldest are dropped (it is woken either way).</summary>
    private const int SubscriberBacklog = 64;

    /// <summary>What a stored-activities notification carries; a transient activity is sent as its JSON instead.</summary>
    private const string StoredNotice = "";

    /// <summary>Marks the conversation used (ARGV[1] is now, ARGV[2] the idle timeout, ARGV[3] the id): renews its keys' time to live (KEYS[1..3]) and its place in the index (KEYS[4]).</summary>
    private const string TouchLua = """
        local function touch()
            redis.call('HSET', KEYS[1], 'used', ARGV[1])
            for i = 1, 3 do
                redis.call('PEXPIRE', KEYS[i], ARGV[2])
            end
            redis.call('ZADD', KEYS[4], ARGV[1], ARGV[3])
        end
        local function closed(used, now, idle)
            return not used or tonumber(used) + idle < now
        end
        """;

    /// <summary>ARGV: now, idle (ms), id, new generation. Returns 1 when it opened the conversation, 0 when it was open.</summary>
    private const string OpenScript = TouchLua + "\n" + """
        local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
        if not closed(redis.call('HGET', KEYS[1], 'used'), now, idle) then
            touch()
            return 0
        end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        redis.call('HSET', KEYS[1], 'generation', ARGV[4], 'first', 1, 'last', 0, 'stamp', 0, 'bytes', 0)
        touch()
        return 1
        """;

    /// <summary>ARGV: now, idle (ms), id. Returns 1 when open (and marks it used), else 0.</summary>
    private const string TouchScript = TouchLua + "\n" + """
        local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
        if closed(redis.call('HGET', KEYS[1], 'used'), now, idle) then
            return 0
        end
        touch()
        return 1
        """;

    /// <summary>
    /// ARGV: now, idle (ms), id, generation and last sequence the entry was built for, entry, sender id (or ""),
    /// what the sender id stands for, timestamp (ms), most activities, most bytes, channel.
    /// Returns {'ok'}, {'dup', earlier}, {'closed'} or {'retry'} (another append came first).
    /// </summary>
    private const string AppendScript = TouchLua + "\n" + """
        local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
        local meta = redis.call('HMGET', KEYS[1], 'generation', 'last', 'used', 'bytes')
        if closed(meta[3], now, idle) then
            return {'closed'}
        end
        if ARGV[7] ~= '' then
            local earlier = redis.call('HGET', KEYS[3], ARGV[7])
            if earlier then
                touch()
                return {'dup', earlier}
            end
        end
        if meta[1] ~= ARGV[4] or meta[2] ~= ARGV[5] then
            return {'retry'}
        end
        local count = redis.call('RPUSH', KEYS[2], ARGV[6])
        local bytes = tonumber(meta[4]) + string.len(ARGV[6])
        if ARGV[7] ~= '' then
            redis.call('HSET', KEYS[3], ARGV[7], ARGV[8])
        end
        -- Oldest first, until both the count and the byte budget hold (the newest activity always stays).
        local dropped = 0
        while count > 1 and (count > tonumber(ARGV[10]) or bytes > tonumber(ARGV[11])) do
            local entry = redis.call('LPOP', KEYS[2])
            local colon = string.find(entry, ':', 1, true)
            local length = tonumber(string.sub(entry, 1, colon - 1))
            if length > 0 then
                redis.call('HDEL', KEYS[3], string.sub(entry, colon + 1, colon + length))
            end
            bytes = bytes - string.len(entry)
            count = count - 1
            dropped = dropped + 1
        end
        redis.call('HINCRBY', KEYS[1], 'first', dropped)
        redis.call('HSET', KEYS[1], 'last', tonumber(ARGV[5]) + 1, 'stamp', ARGV[9], 'bytes', bytes)
        touch()
        redis.call('PUBLISH', ARGV[12], '')
        return {'ok'}
        """;

    /// <summary>ARGV: now, idle (ms), id, watermark, most activities. Returns false when closed, else {generation, first sequence returned, last sequence, entries...}.</summary>
    private const string ReadScript = TouchLua + "\n" + """
        local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
        local meta = redis.call('HMGET', KEYS[1], 'generation', 'first', 'last', 'used')
        if closed(meta[4], now, idle) then
            return false
        end
        touch()
        local after = 0
        local sequence = string.sub(ARGV[4], 9)
        if string.sub(ARGV[4], 1, 8) == meta[1] and string.match(sequence, '^%d+$') then
            after = tonumber(sequence)
        end
        local first = tonumber(meta[2])
        local count = redis.call('LLEN', KEYS[2])
        local start = math.max(0, math.min(after + 1 - first, count))
        local page = {meta[1], first + start, meta[3]}
        for _, entry in ipairs(redis.call('LRANGE', KEYS[2], start, start + tonumber(ARGV[5]) - 1)) do
            page[#page + 1] = entry
        end
        return page
        """;

    private readonly IDatabase _database;
    private readonly ISubscriber _subscriber;
    private readonly RedisKeys _keys;
    private readonly DirectLineOptions _options;
    private readonly TimeProvider _time;

    public RedisDirectLineStore(IConnectionMultiplexer connection, RedisKeys keys, IOptions<DirectLineOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _database = connection.GetDatabase();
        _subscriber = connection.GetSubscriber();
        _keys = keys;
        _options = options.Value;
        _time = time;
    }

    private RedisKey IndexKey => _keys.Key("directline", "conversations");

    private long IdleMilliseconds => (long)_options.IdleTimeout.TotalMilliseconds;

    public async Task<bool> OpenAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        cancellationToken.ThrowIfCancellationRequested();
        var generation = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GenerationLength / 2));
        return (int)await EvaluateAsync(OpenScript, conversationId, generation).ConfigureAwait(false) == 1;
    }

    public async Task<bool> HasRoomAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Conversations idle past their time leave the index here; Redis has already dropped their keys.
        var stale = Now() - IdleMilliseconds;
        await _database.SortedSetRemoveRangeByScoreAsync(IndexKey, double.NegativeInfinity, stale, Exclude.Stop).ConfigureAwait(false);
        return await _database.SortedSetLengthAsync(IndexKey).ConfigureAwait(false) < _options.MaxConversations;
    }

    public async Task<bool> IsOpenAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        cancellationToken.ThrowIfCancellationRequested();
        var used = await _database.HashGetAsync(ConversationKey(conversationId, "meta"), "used").ConfigureAwait(false);
        return used.HasValue && (long)used + IdleMilliseconds >= Now();
    }

    public async Task<AppendedActivity?> AppendAsync(string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        var copy = JsonSerializer.Deserialize<Activity>(JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options), ProtocolJson.Options)!;
        var originId = activity.Id ?? string.Empty;
        var replyToId = activity.ReplyToId;
        var metaKey = ConversationKey(conversationId, "meta");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var meta = await _database.HashGetAsync(metaKey, ["generation", "first", "last", "stamp"]).ConfigureAwait(false);
            if (meta[0].IsNull)
            {
                return null;
            }

            var generation = meta[0].ToString();
            var (first, last) = ((long)meta[1], (long)meta[2]);
            var now = Now();
            // Milliseconds, strictly increasing: browsers order by timestamp and see no finer time.
            var stamp = Math.Max(now, (long)meta[3] + 1);
            copy.Id = Format(generation, last + 1);
            copy.Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(stamp);
            copy.ReplyToId = replyToId is not null && Parse(replyToId, generation) is var replyTo && replyTo >= first && replyTo <= last ? replyToId : null;
            var json = JsonSerializer.Serialize(copy, ProtocolJson.Options);
            var appended = new AppendedActivity(copy.Id, copy.Timestamp.Value);
            var result = (RedisResult[])(await EvaluateAsync(
                AppendScript,
                conversationId,
                generation,
                last,
                originId.Length.ToString(CultureInfo.InvariantCulture) + ":" + originId + json,
                originId,
                appended.Id + "|" + stamp.ToString(CultureInfo.InvariantCulture),
                stamp,
                _options.MaxActivitiesPerConversation,
                _options.MaxBytesPerConversation,
                ChannelName(conversationId)).ConfigureAwait(false))!;
            switch ((string)result[0]!)
            {
                case "ok":
                    return appended;
                case "dup":
                    var earlier = ((string)result[1]!).Split('|');
                    return new AppendedActivity(earlier[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(earlier[1], CultureInfo.InvariantCulture)));
                case "closed":
                    return null;
                default:
                    // Another append took this sequence first: build the next one.
                    continue;
            }
        }
    }

    public async Task<ActivitySet?> ReadAsync(string conversationId, string? watermark, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var result = await EvaluateAsync(ReadScript, conversationId, watermark ?? string.Empty, max).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var page = (RedisResult[])result!;
        var generation = (string)page[0]!;
        var activities = new List<Activity>(page.Length - 3);
        foreach (var entry in page.Skip(3))
        {
            var text = (string)entry!;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var json = text.AsSpan(colon + 1 + int.Parse(text.AsSpan(0, colon), CultureInfo.InvariantCulture));
            activities.Add(JsonSerializer.Deserialize<Activity>(json, ProtocolJson.Options)!);
        }

        var next = activities.Count > 0 ? (long)page[1] + activities.Count - 1 : (long)page[2];
        return new ActivitySet(activities, Format(generation, next));
    }

    public async Task PublishAsync(string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        cancellationToken.ThrowIfCancellationRequested();
        if ((int)await EvaluateAsync(TouchScript, conversationId).ConfigureAwait(false) == 1)
        {
            var copy = JsonSerializer.Deserialize<Activity>(JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options), ProtocolJson.Options)!;
            copy.Timestamp ??= _time.GetUtcNow();
            await _subscriber.PublishAsync(Channel(conversationId), JsonSerializer.Serialize(copy, ProtocolJson.Options)).ConfigureAwait(false);
        }
    }

    public IDirectLineSubscription Subscribe(string conversationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        // Confirmed by the server before it returns, so a stream that reads after subscribing misses nothing.
        return new Subscription(_subscriber.Subscribe(Channel(conversationId)));
    }

    private static string Format(string generation, long sequence) =>
        generation + sequence.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The sequence number an id or watermark of this generation stands for; 0 for any other.</summary>
    private static long Parse(string value, string generation) =>
        value.Length > GenerationLength
        && value.StartsWith(generation, StringComparison.Ordinal)
        && long.TryParse(value.AsSpan(GenerationLength), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : 0;

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<RedisResult> EvaluateAsync(string script, string conversationId, params RedisValue[] arguments) =>
        _database.ScriptEvaluateAsync(
            script,
            [ConversationKey(conversationId, "meta"), ConversationKey(conversationId, "log"), ConversationKey(conversationId, "origins"), IndexKey],
            [Now(), IdleMilliseconds, conversationId, .. arguments]);

    private RedisKey ConversationKey(string conversationId, string part) => _keys.Key("directline", conversationId, part);

    private string ChannelName(string conversationId) => _keys.Key("directline", conversationId, "updates");

    private RedisChannel Channel(string conversationId) => RedisChannel.Literal(ChannelName(conversationId));

    private sealed class Subscription : IDirectLineSubscription
    {
        private readonly ChannelMessageQueue _queue;
        private readonly Channel<Activity?> _updates = System.Threading.Channels.Channel.CreateBounded<Activity?>(
            new BoundedChannelOptions(SubscriberBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public Subscription(ChannelMessageQueue queue)
        {
            _queue = queue;
            // The queue hands messages over in the order they were published.
            _queue.OnMessage(message => _updates.Writer.TryWrite(
                message.Message == StoredNotice ? null : JsonSerializer.Deserialize<Activity>((string)message.Message!, ProtocolJson.Options)));
        }

        public ChannelReader<Activity?> Updates => _updates.Reader;

        public void Dispose()
        {
            _queue.Unsubscribe();
            _updates.Writer.TryComplete();
        }
    }
}
