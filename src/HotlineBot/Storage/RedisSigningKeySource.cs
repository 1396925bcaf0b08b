using System.Security.Cryptography;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Storage;

/// <summary>
/// The key in the shared Redis under <c>{prefix}keys:{name}</c> (scaled out): the first instance stores
/// its random key with SET NX, every other instance (even one racing it) reads the stored one, so a
/// token issued by any instance validates on all. Deleting the key invalidates everything signed with it.
/// </summary>
public sealed class RedisSigningKeySource : ISigningKeySource
{
    private readonly IDatabase _database;
    private readonly RedisKey _key;

    /// <summary>The key <paramref name="name"/> (for example <c>token-key</c>) under the prefix of <paramref name="keys"/>.</summary>
    public RedisSigningKeySource(IConnectionMultiplexer connection, RedisKeys keys, string name)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _database = connection.GetDatabase();
        _key = keys.Key("keys", name);
    }

    public byte[] LoadOrCreate(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, KeyFile.MinBytes);
        var key = RandomNumberGenerator.GetBytes(bytes);
        if (_database.StringSet(_key, Convert.ToBase64String(key), when: When.NotExists))
        {
            return key;
        }

        // Another instance stored one first: use theirs.
        var stored = _database.StringGet(_key);
        return KeyFile.Decode(stored.HasValue ? stored.ToString() : string.Empty, $"Redis key {_key}", "delete the key to generate a new one");
    }
}
