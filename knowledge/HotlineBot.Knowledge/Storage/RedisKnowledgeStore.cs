using System.Text.Json;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Knowledge.Storage;

/// <summary>
/// Policy entries in the shared Redis, for instances that scale out. Under <c>knowledge:</c>:
/// <c>versions:{id}</c> is a hash of the entry's versions (version → <see cref="EntryRevision"/> JSON), each
/// written once with HSETNX and never rewritten; <c>current</c> maps each id to its current version;
/// <c>ids</c> is a sorted set of every id (one score, so it orders by id); <c>audit</c> and
/// <c>audit-by:{author}</c> are sorted sets of <c>id|version</c> scored by <c>changes</c>, the store-wide
/// count of versions written, so the audit lists in write order. Every write is one Lua script that
/// checks the current version and writes the version, the pointer and the indexes together, so a stale
/// writer in any process writes nothing. Scripts reach the per-entry keys by name, so the store needs a
/// single Redis (or one hash slot), not a cluster spread over slots.
/// </summary>
public sealed class RedisKnowledgeStore : IKnowledgeStore
{
    /// <summary>Writes one version, shared by the single write and the seeding scripts (KEYS 1–5 as named below).</summary>
    private const string AppendFunction = """
        local function append(versions, id, version, revision)
          if redis.call('HSETNX', versions, version, revision) == 0 then
            error('knowledge version ' .. id .. '|' .. version .. ' exists')
          end
          local member = id .. '|' .. version
          local seq = redis.call('INCR', KEYS[5])
          redis.call('HSET', KEYS[1], id, version)
          redis.call('ZADD', KEYS[2], 0, id)
          redis.call('ZADD', KEYS[3], seq, member)
          redis.call('ZADD', KEYS[4], seq, member)
        end

        """;

    /// <summary>Appends the next version when the stored one is still ARGV[2] (0: no entry yet); returns the stored version either way.</summary>
    private const string WriteScript = AppendFunction + """
        local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if stored ~= tonumber(ARGV[2]) then
          return stored
        end
        append(KEYS[6], ARGV[1], stored + 1, ARGV[3])
        return stored
        """;

    /// <summary>Writes every seed (ARGV id, revision pairs; KEYS 6.. their version hashes) only while the store holds no entry.</summary>
    private const string SeedScript = AppendFunction + """
        if redis.call('HLEN', KEYS[1]) > 0 then
          return 0
        end
        local count = 0
        for i = 1, #ARGV, 2 do
          count = count + 1
          append(KEYS[5 + count], ARGV[i], 1, ARGV[i + 1])
        end
        return count
        """;

    /// <summary>The id count, then the current revisions of ids ranked ARGV[2]..ARGV[3], read in one snapshot.</summary>
    private const string ListScript = """
        local out = { redis.call('ZCARD', KEYS[1]) }
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], ARGV[2], ARGV[3])) do
          out[#out + 1] = redis.call('HGET', ARGV[1] .. id, redis.call('HGET', KEYS[2], id))
        end
        return out
        """;

    private const string Area = "knowledge";
    private const char MemberSeparator = '|';

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly RedisKey _current;
    private readonly RedisKey _ids;
    private readonly RedisKey _audit;
    private readonly RedisKey _counters;
    private readonly RedisKey _changes;

    /// <param name="redis">The process's shared connection.</param>
    /// <param name="keys">The hotline's key prefix.</param>
    /// <param name="timeProvider">The clock that dates versions (the system clock by default).</param>
    public RedisKnowledgeStore(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _database = redis.GetDatabase();
        _time = timeProvider ?? TimeProvider.System;
        _current = keys.Key(Area, "current");
        _ids = keys.Key(Area, "ids");
        _audit = keys.Key(Area, "audit");
        _counters = keys.Key(Area, "counters");
        _changes = keys.Key(Area, "changes");
    }

    public async Task<KnowledgePage<PolicyEntry>> ListAsync(KnowledgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var needle = KnowledgeVersioning.SearchNeedle(query);
        var skip = (long)(query.Page - 1) * query.PageSize;
        if (needle is null && query.Category is null or "" && query.Status is null)
        {
            var (total, page) = await ListRangeAsync(skip, skip + query.PageSize - 1).ConfigureAwait(false);
            return new KnowledgePage<PolicyEntry>(page, (int)total);
        }

        // The knowledge base holds hundreds to a few thousand entries: reading every current document and
        // filtering here costs less than keeping a sorted set per category, status and text.
        var (_, all) = await ListRangeAsync(0, -1).ConfigureAwait(false);
        var matching = all
            .Where(e => needle is null || KnowledgeVersioning.SearchText(e).Contains(needle, StringComparison.Ordinal))
            .Where(e => string.IsNullOrEmpty(query.Category) || e.Category == query.Category)
            .Where(e => query.Status is not { } status || e.Status == status)
            .ToList();
        return new KnowledgePage<PolicyEntry>([.. matching.Skip((int)Math.Min(skip, int.MaxValue)).Take(query.PageSize)], matching.Count);
    }

    public async Task<PolicyEntry?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var version = await _database.HashGetAsync(_current, id).ConfigureAwait(false);
        if (version.IsNull)
        {
            return null;
        }

        // Versions are immutable, so the one the pointer named is still there to read.
        var revision = await _database.HashGetAsync(Versions(id), version).ConfigureAwait(false);
        return ParseRevision(revision).Entry;
    }

    public async Task<PolicyEntry> CreateAsync(PolicyEntry entry, string author, CancellationToken cancellationToken = default)
    {
        if (!KnowledgeVersioning.ValidateNew(entry, author))
        {
            var created = entry with { Version = 1 };
            return await WriteAsync(null, created, RevisionKind.Created, author).ConfigureAwait(false) == 0
                ? created
                : throw new KnowledgeEntryExistsException(entry.Id);
        }

        while (true)
        {
            // A number taken by an imported or hand-named entry is skipped; the counter never goes back.
            var number = await _database.HashIncrementAsync(_counters, entry.Category).ConfigureAwait(false);
            var created = entry with { Id = KnowledgeVersioning.GeneratedId(entry.Category, number), Version = 1 };
            KnowledgeVersioning.Validate(created);
            if (await WriteAsync(null, created, RevisionKind.Created, author).ConfigureAwait(false) == 0)
            {
                return created;
            }
        }
    }

    public async Task<PolicyEntry> UpdateAsync(PolicyEntry entry, int expectedVersion, string author, CancellationToken cancellationToken = default)
    {
        KnowledgeVersioning.ValidateUpdate(entry, expectedVersion, author);
        var current = await GetAsync(entry.Id, cancellationToken).ConfigureAwait(false) ?? throw new KnowledgeEntryNotFoundException(entry.Id);
        if (KnowledgeVersioning.NextForUpdate(current, entry, expectedVersion) is not (var next, var kind))
        {
            return current;
        }

        var stored = await WriteAsync(current, next, kind, author).ConfigureAwait(false);
        return stored == current.Version ? next : throw new KnowledgeConcurrencyException(entry.Id, expectedVersion, stored);
    }

    public async Task<PolicyEntry> RetireAsync(string id, int? expectedVersion, string author, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        while (true)
        {
            var current = await GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new KnowledgeEntryNotFoundException(id);
            if (KnowledgeVersioning.NextForRetire(current, expectedVersion) is not { } next)
            {
                return current;
            }

            var stored = await WriteAsync(current, next, RevisionKind.Retired, author).ConfigureAwait(false);
            if (stored == current.Version)
            {
                return next;
            }

            // Without an expected version whatever is current is retired: read it again and retry.
            if (expectedVersion is { } expected)
            {
                throw new KnowledgeConcurrencyException(id, expected, stored);
            }
        }
    }

    public async Task<IReadOnlyList<EntryRevision>> HistoryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var versions = await _database.HashValuesAsync(Versions(id)).ConfigureAwait(false);
        return [.. versions.Select(ParseRevision).OrderBy(r => r.Version)];
    }

    public async Task<KnowledgePage<EntryRevision>> AuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var skip = (long)(query.Page - 1) * query.PageSize;
        if (!string.IsNullOrEmpty(query.EntryId))
        {
            // One entry's versions are few, and their order is their write order.
            var revisions = (await HistoryAsync(query.EntryId, cancellationToken).ConfigureAwait(false))
                .Where(r => string.IsNullOrEmpty(query.Author) || r.Author == query.Author)
                .Reverse()
                .ToList();
            return new KnowledgePage<EntryRevision>([.. revisions.Skip((int)Math.Min(skip, int.MaxValue)).Take(query.PageSize)], revisions.Count);
        }

        // The count and the page from one MULTI, so they agree.
        var audit = string.IsNullOrEmpty(query.Author) ? _audit : AuditBy(query.Author);
        var transaction = _database.CreateTransaction();
        var count = transaction.SortedSetLengthAsync(audit);
        var page = transaction.SortedSetRangeByRankAsync(audit, skip, skip + query.PageSize - 1, Order.Descending);
        await transaction.ExecuteAsync().ConfigureAwait(false);

        var reads = (await page.ConfigureAwait(false)).Select(member =>
        {
            var text = member.ToString();
            var separator = text.LastIndexOf(MemberSeparator);
            return _database.HashGetAsync(Versions(text[..separator]), text[(separator + 1)..]);
        });
        var items = await Task.WhenAll(reads).ConfigureAwait(false);
        return new KnowledgePage<EntryRevision>([.. items.Select(ParseRevision)], (int)await count.ConfigureAwait(false));
    }

    public async Task<int> SeedAsync(IEnumerable<PolicyEntry> entries, string author, CancellationToken cancellationToken = default)
    {
        var seeds = KnowledgeVersioning.PrepareSeeds(entries, author);
        if (seeds.Count == 0)
        {
            return 0;
        }

        // One script checks that the store is empty and writes every seed, so two instances starting at once seed it once.
        var at = _time.GetUtcNow();
        var keys = WriteKeys(author).Concat(seeds.Select(s => Versions(s.Id))).ToArray();
        var values = seeds
            .SelectMany(s => new RedisValue[] { s.Id, Revision(null, s, RevisionKind.Seeded, author, at) })
            .ToArray();
        var seeded = await _database.ScriptEvaluateAsync(SeedScript, keys, values).ConfigureAwait(false);
        return (int)seeded;
    }

    private async Task<(long Total, List<PolicyEntry> Page)> ListRangeAsync(long start, long stop)
    {
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(
            ListScript,
            [_ids, _current],
            [Versions(string.Empty).ToString(), start, stop]).ConfigureAwait(false))!;
        return ((long)result[0], [.. result.Skip(1).Select(r => ParseRevision((RedisValue)r).Entry)]);
    }

    /// <summary>Writes <paramref name="after"/> if the stored version is still the one before it; returns the stored version.</summary>
    private async Task<int> WriteAsync(PolicyEntry? before, PolicyEntry after, RevisionKind kind, string author)
    {
        var stored = await _database.ScriptEvaluateAsync(
            WriteScript,
            [.. WriteKeys(author), Versions(after.Id)],
            [after.Id, after.Version - 1, Revision(before, after, kind, author, _time.GetUtcNow())]).ConfigureAwait(false);
        return (int)stored;
    }

    /// <summary>KEYS 1–5 of the write scripts.</summary>
    private RedisKey[] WriteKeys(string author) => [_current, _ids, _audit, AuditBy(author), _changes];

    private RedisKey Versions(string id) => _keys.Key(Area, "versions", id);

    private RedisKey AuditBy(string author) => _keys.Key(Area, "audit-by", author);

    private static string Revision(PolicyEntry? before, PolicyEntry after, RevisionKind kind, string author, DateTimeOffset at) =>
        KnowledgeVersioning.Serialize(new EntryRevision(after.Id, after.Version, kind, author, at, EntryDiff.Between(before, after), after));

    private static EntryRevision ParseRevision(RedisValue document) =>
        document.IsNull
            ? throw new InvalidDataException("A current version's document is missing.")
            : JsonSerializer.Deserialize<EntryRevision>(document.ToString(), EntryDiff.JsonOptions)
              ?? throw new InvalidDataException("A stored revision is null.");
}
