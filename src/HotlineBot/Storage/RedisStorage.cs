using System.Text.Json;
using HotlineBot.BotFramework.State;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Storage;

/// <summary>
/// Bot state in the shared Redis (scaled out): one hash per item (<c>value</c>, <c>etag</c>) under
/// <c>{prefix}state:{key}</c>. A write of several items is one Lua script that checks every ETag
/// first and writes only when all match, so it is all or nothing and, of several writers (in any
/// instance) that read the same ETag, exactly one wins.
/// </summary>
public sealed class RedisStorage : IStorage
{
    /// <summary>Checks each guarded item's ETag (ARGV triples: value, expected ETag or "", new ETag), then writes all.</summary>
    private const string WriteScript = """
        for i = 1, #KEYS do
            local expected = ARGV[(i - 1) * 3 + 2]
            if expected ~= '' and redis.call('HGET', KEYS[i], 'etag') ~= expected then
                return i
            end
        end
        for i = 1, #KEYS do
            redis.call('HSET', KEYS[i], 'value', ARGV[(i - 1) * 3 + 1], 'etag', ARGV[(i - 1) * 3 + 3])
        end
        return 0
        """;

    private static readonly RedisValue[] Fields = ["value", "etag"];

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    public RedisStorage(IConnectionMultiplexer connection, RedisKeys keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        _database = connection.GetDatabase();
        _keys = keys;
    }

    public async Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = keys.Distinct(StringComparer.Ordinal).ToArray();
        var reads = distinct.Select(key => _database.HashGetAsync(Key(key), Fields)).ToArray();
        var values = await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Length; i++)
        {
            if (values[i][0].IsNull)
            {
                continue;
            }

            using var document = JsonDocument.Parse((string)values[i][0]!);
            found[distinct[i]] = new StoreItem(document.RootElement.Clone(), values[i][1]);
        }

        return found;
    }

    public async Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        var written = new List<KeyValuePair<string, StoreItem>>(changes.Count);
        var keys = new RedisKey[changes.Count];
        var arguments = new RedisValue[changes.Count * 3];
        foreach (var (key, item) in changes)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(changes));
            var eTag = Guid.NewGuid().ToString("n");
            var i = written.Count;
            keys[i] = Key(key);
            arguments[i * 3] = item.Value.GetRawText();
            arguments[(i * 3) + 1] = item.OverwritesAny ? string.Empty : item.ETag;
            arguments[(i * 3) + 2] = eTag;
            written.Add(new(key, item with { ETag = eTag }));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var stale = (int)await _database.ScriptEvaluateAsync(WriteScript, keys, arguments).ConfigureAwait(false);
        if (stale > 0)
        {
            var key = written[stale - 1].Key;
            throw new StorageConcurrencyException($"The item '{key}' changed since it was read (ETag {changes[key].ETag}).");
        }

        foreach (var (key, item) in written)
        {
            changes[key] = item;
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _database.KeyDeleteAsync(keys.Distinct(StringComparer.Ordinal).Select(Key).ToArray()).ConfigureAwait(false);
    }

    private RedisKey Key(string key) => _keys.Key("state", key);
}
