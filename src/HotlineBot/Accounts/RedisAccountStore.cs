using System.Globalization;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Accounts;

/// <summary>
/// Accounts in the shared Redis (scaled out): one hash per account under
/// <c>{prefix}accounts:user:{lower-case username}</c>, a sorted set <c>accounts:order</c> of those
/// names scored by id (creation order, for paging and counting) and an id counter. Creating is one Lua
/// script (check the name, take the next id, write the hash and the index), so "Admin" and "admin" are
/// one account even when instances race; usernames are ASCII (<see cref="AccountRules"/>), where
/// lower-casing is exact.
/// </summary>
public sealed class RedisAccountStore : IAccountStore
{
    /// <summary>KEYS: account hash, order set, id counter. ARGV: username, role, hash, created, lower-case name. Returns the id, or 0 when taken.</summary>
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
            return 0
        end
        local id = redis.call('INCR', KEYS[3])
        redis.call('HSET', KEYS[1], 'id', id, 'username', ARGV[1], 'role', ARGV[2], 'password_hash', ARGV[3], 'created', ARGV[4])
        redis.call('ZADD', KEYS[2], id, ARGV[5])
        return id
        """;

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    public RedisAccountStore(IConnectionMultiplexer connection, RedisKeys keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        _database = connection.GetDatabase();
        _keys = keys;
    }

    private RedisKey OrderKey => _keys.Key("accounts", "order");

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (int)await _database.SortedSetLengthAsync(OrderKey).ConfigureAwait(false);
    }

    public async Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        cancellationToken.ThrowIfCancellationRequested();
        return Read(await _database.HashGetAllAsync(AccountKey(Normalize(username))).ConfigureAwait(false));
    }

    public async Task<Account> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        cancellationToken.ThrowIfCancellationRequested();
        username = username.Trim();
        var created = DateTimeOffset.UtcNow;
        var name = Normalize(username);
        var id = (long)await _database.ScriptEvaluateAsync(
            CreateScript,
            [AccountKey(name), OrderKey, _keys.Key("accounts", "next-id")],
            [username, role, passwordHash, created.ToString("O", CultureInfo.InvariantCulture), name]).ConfigureAwait(false);
        return id == 0
            ? throw new DuplicateAccountException($"The username '{username}' is taken.")
            : new Account(id, username, role, passwordHash, created);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        if (limit == 0)
        {
            return [];
        }

        var names = await _database.SortedSetRangeByRankAsync(OrderKey, offset, (long)offset + limit - 1).ConfigureAwait(false);
        var accounts = await Task.WhenAll(names.Select(name => _database.HashGetAllAsync(AccountKey(name!)))).ConfigureAwait(false);
        return [.. accounts.Select(Read).OfType<Account>()];
    }

    /// <summary>The key's spelling of a username: trimmed and lower-cased (usernames are ASCII).</summary>
    private static string Normalize(string username) => username.Trim().ToLowerInvariant();

    private static Account? Read(HashEntry[] fields)
    {
        if (fields.Length == 0)
        {
            return null;
        }

        var values = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString(), StringComparer.Ordinal);
        return new Account(
            long.Parse(values["id"], CultureInfo.InvariantCulture),
            values["username"],
            values["role"],
            values["password_hash"],
            DateTimeOffset.Parse(values["created"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }

    private RedisKey AccountKey(string name) => _keys.Key("accounts", "user", name);
}
