using System.Globalization;
using System.Text.Json;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Turns;

/// <summary>
/// What the admins did with unanswered questions, in the shared Redis (scaled out), so every instance's inbox
/// agrees. Resolutions: the hash <c>{prefix}unanswered:resolutions</c>, each normalized wording to its latest
/// resolution (time, entry, admin); a script keeps the later of two, whichever instance writes last. Sent
/// answers: one hash per entry, <c>{prefix}unanswered:sent:{entryId}</c>, worker to where and when; recording a
/// send is HSETNX, so of two instances notifying at once exactly one sends a worker the answer.
/// </summary>
public sealed class RedisUnansweredStore : IUnansweredStore
{
    /// <summary>KEYS: resolutions hash. ARGV: the resolution's ms, its JSON, then the wordings. Keeps each wording's latest.</summary>
    private const string ResolveScript = """
        for i = 3, #ARGV do
            local old = redis.call('HGET', KEYS[1], ARGV[i])
            if not old or tonumber(cjson.decode(old)['ms']) <= tonumber(ARGV[1]) then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[2])
            end
        end
        return #ARGV - 2
        """;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    public RedisUnansweredStore(IConnectionMultiplexer connection, RedisKeys keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        _database = connection.GetDatabase();
        _keys = keys;
    }

    private RedisKey ResolutionsKey => _keys.Key("unanswered", "resolutions");

    public async Task ResolveAsync(IReadOnlyCollection<string> questionKeys, string entryId, string resolvedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(questionKeys);
        cancellationToken.ThrowIfCancellationRequested();
        var resolution = JsonSerializer.Serialize(new Resolution(at.ToUnixTimeMilliseconds(), SqliteTurnLog.Timestamp(at), entryId, resolvedBy), JsonOptions);
        RedisValue[] arguments = [at.ToUnixTimeMilliseconds(), resolution, .. questionKeys.Distinct(StringComparer.Ordinal).Select(k => (RedisValue)k)];
        await _database.ScriptEvaluateAsync(ResolveScript, [ResolutionsKey], arguments).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LatestResolutionsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var field in await _database.HashGetAllAsync(ResolutionsKey).ConfigureAwait(false))
        {
            if (JsonSerializer.Deserialize<Resolution>((string)field.Value!, JsonOptions) is { } resolution)
            {
                latest[field.Name!] = DateTimeOffset.Parse(resolution.At, CultureInfo.InvariantCulture);
            }
        }

        return latest;
    }

    public async Task<IReadOnlySet<string>> SentToAsync(string entryId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var workers = await _database.HashKeysAsync(SentKey(entryId)).ConfigureAwait(false);
        return workers.Select(w => (string)w!).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<bool> RecordSentAsync(string entryId, string worker, string? channelId, string conversationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sent = JsonSerializer.Serialize(new Sent(channelId, conversationId, SqliteTurnLog.Timestamp(at)), JsonOptions);
        return await _database.HashSetAsync(SentKey(entryId), worker, sent, When.NotExists).ConfigureAwait(false);
    }

    private RedisKey SentKey(string entryId) => _keys.Key("unanswered", "sent", entryId);

    /// <summary>A wording's resolution as stored (ms for the script's comparison, the time as it was given).</summary>
    private sealed record Resolution(long Ms, string At, string EntryId, string ResolvedBy);

    /// <summary>Where and when a worker was sent an entry's answer.</summary>
    private sealed record Sent(string? Channel, string Conversation, string At);
}
