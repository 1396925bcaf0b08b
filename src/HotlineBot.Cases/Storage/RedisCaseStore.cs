using System.Globalization;
using System.Text.Json;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Cases.Storage;

/// <summary>
/// Cases in the shared Redis, for instances that scale out. Under <c>cases:</c>: <c>case:{id}</c> is a
/// hash (<c>version</c>, <c>created</c> in Unix milliseconds, <c>document</c> as <see cref="CaseDocument"/>
/// JSON); <c>transcript:{id}</c> a list of its lines; <c>counter:{yyyyMMdd}</c> the last number handed
/// out that day (INCR, so instances never share one). The indexes are sorted sets of ids scored by
/// creation time (ties in id order): <c>status:{status}</c>, <c>unfinished</c> (open, or with a delivery pending) and
/// <c>conversation:{channel length}:{channel}:{conversation}</c>. Every write is one Lua script that
/// checks and writes the case and its indexes together, so a stale writer in any process writes
/// nothing; every read is one script too, so a page and its total come from one snapshot. Scripts
/// reach per-case keys by name, so the store needs a single Redis (or one hash slot), not a cluster.
/// </summary>
public sealed class RedisCaseStore : ICaseStore
{
    /// <summary>Adds the case <c>id</c> to <c>out</c> when it exists (ARGV[1], ARGV[2]: the case and transcript key prefixes).</summary>
    private const string ReadFunction = """
        local function read(out, id)
          local stored = redis.call('HMGET', ARGV[1] .. id, 'version', 'document')
          if stored[1] then
            out[#out + 1] = { id, stored[1], stored[2], redis.call('LRANGE', ARGV[2] .. id, 0, -1) }
          end
        end

        """;

    /// <summary>Adds the case to the unfinished index, or removes it (<c>flag</c> is '1' when unfinished).</summary>
    private const string IndexFunction = """
        local function index_unfinished(key, id, created, flag)
          if flag == '1' then
            redis.call('ZADD', key, created, id)
          else
            redis.call('ZREM', key, id)
          end
        end

        """;

    /// <summary>
    /// Writes a new case unless its id is taken (returns 0 then). KEYS: case, transcript, status index,
    /// conversation index, unfinished index. ARGV: id, created, document, unfinished, transcript lines...
    /// </summary>
    private const string CreateScript = IndexFunction + """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return 0
        end
        redis.call('HSET', KEYS[1], 'version', 1, 'created', ARGV[2], 'document', ARGV[3])
        for i = 5, #ARGV do
          redis.call('RPUSH', KEYS[2], ARGV[i])
        end
        redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
        redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
        index_unfinished(KEYS[5], ARGV[1], ARGV[2], ARGV[4])
        return 1
        """;

    /// <summary>
    /// Writes the case when its stored version is still ARGV[2] and returns the stored version (0: no such
    /// case). KEYS: case, unfinished index, the new status's index, every other status's index.
    /// ARGV: id, expected version, document, unfinished.
    /// </summary>
    private const string UpdateScript = IndexFunction + """
        local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
        if stored == 0 or stored ~= tonumber(ARGV[2]) then
          return stored
        end
        local created = redis.call('HGET', KEYS[1], 'created')
        redis.call('HSET', KEYS[1], 'version', stored + 1, 'document', ARGV[3])
        for i = 4, #KEYS do
          redis.call('ZREM', KEYS[i], ARGV[1])
        end
        redis.call('ZADD', KEYS[3], created, ARGV[1])
        index_unfinished(KEYS[2], ARGV[1], created, ARGV[4])
        return stored
        """;

    /// <summary>Appends ARGV[1] to the transcript (KEYS[2]) of an existing case (KEYS[1]); 0 when there is none.</summary>
    private const string AppendScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return 0
        end
        redis.call('RPUSH', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>The case ARGV[3], as an empty or one-item list.</summary>
    private const string GetScript = ReadFunction + """
        local out = {}
        read(out, ARGV[3])
        return out
        """;

    /// <summary>Every case in the index KEYS[1], oldest first (newest first when ARGV[3] is 1).</summary>
    private const string IndexScript = ReadFunction + """
        local ids
        if ARGV[3] == '1' then
          ids = redis.call('ZREVRANGE', KEYS[1], 0, -1)
        else
          ids = redis.call('ZRANGE', KEYS[1], 0, -1)
        end
        local out = {}
        for _, id in ipairs(ids) do
          read(out, id)
        end
        return out
        """;

    /// <summary>
    /// The number of cases in the status indexes KEYS (disjoint: a case has one status), then the cases
    /// ranked ARGV[3] (skip) + 1 .. ARGV[3] + ARGV[4] (take) in them all, oldest first. Each index gives
    /// only its first skip + take ids, which is all a merged page can need.
    /// </summary>
    private const string PageScript = ReadFunction + """
        local skip = tonumber(ARGV[3])
        local take = tonumber(ARGV[4])
        local total = 0
        local merged = {}
        for i = 1, #KEYS do
          total = total + redis.call('ZCARD', KEYS[i])
          local ranked = redis.call('ZRANGE', KEYS[i], 0, skip + take - 1, 'WITHSCORES')
          for j = 1, #ranked, 2 do
            merged[#merged + 1] = { tonumber(ranked[j + 1]), ranked[j] }
          end
        end
        -- The order ZRANGE keeps within one index: by score, then by id.
        table.sort(merged, function(a, b)
          if a[1] ~= b[1] then
            return a[1] < b[1]
          end
          return a[2] < b[2]
        end)
        local page = {}
        for k = skip + 1, math.min(#merged, skip + take) do
          read(page, merged[k][2])
        end
        return { total, page }
        """;

    private const string Area = "cases";

    private static readonly CaseStatus[] Statuses = Enum.GetValues<CaseStatus>();

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _timeZone;
    private readonly RedisKey _unfinished;
    private readonly RedisValue[] _readPrefixes;

    /// <param name="redis">The process's shared connection.</param>
    /// <param name="keys">The hotline's key prefix.</param>
    /// <param name="timeProvider">The clock for creation and update times (the system clock by default).</param>
    /// <param name="timeZone">The hotline's time zone, which dates the ids (<see cref="CaseIds.DefaultTimeZone"/> by default).</param>
    public RedisCaseStore(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider? timeProvider = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keys);
        _database = redis.GetDatabase();
        _keys = keys;
        _time = timeProvider ?? TimeProvider.System;
        _timeZone = timeZone ?? CaseIds.DefaultTimeZone;
        _unfinished = keys.Key(Area, "unfinished");
        _readPrefixes = [keys.Key(Area, "case", string.Empty), keys.Key(Area, "transcript", string.Empty)];
    }

    public async Task<HotlineCase> CreateAsync(HotlineCase draft, CancellationToken cancellationToken = default)
    {
        var creation = CaseCreation.Start(draft, _time, _timeZone);
        var created = creation.CreatedAt.ToUnixTimeMilliseconds();
        var lines = draft.Transcript.Select(SerializeLine).ToArray();
        var counter = _keys.Key(Area, "counter", creation.DayKey);
        var conversation = ConversationKey(draft.Worker.ChannelId, draft.Worker.ConversationId);
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            // The number is taken before the write: one whose write fails is skipped, never handed out again.
            var document = creation.Document(await _database.StringIncrementAsync(counter).ConfigureAwait(false));
            RedisKey[] keys = [CaseKey(document.Id), TranscriptKey(document.Id), StatusKey(document.Status), conversation, _unfinished];
            RedisValue[] arguments = [document.Id, created, document.Serialize(), Flag(CaseProgress.IsUnfinished(document)), .. lines];
            if ((int)await _database.ScriptEvaluateAsync(CreateScript, keys, arguments).ConfigureAwait(false) == 1)
            {
                return creation.Complete(document);
            }

            // Only a counter reset behind the store's back gets here: the next number is tried rather than overwriting a case.
        }
    }

    public async Task<HotlineCase?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var found = await ReadAsync(GetScript, [], id, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var keys = (query.Statuses?.Distinct() ?? Statuses).Select(StatusKey).ToArray();
        if (keys.Length == 0)
        {
            return new CasePage([], 0);
        }

        cancellationToken.ThrowIfCancellationRequested();
        RedisValue[] arguments = [.. _readPrefixes, (long)(query.Page - 1) * query.PageSize, query.PageSize];
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(PageScript, keys, arguments).ConfigureAwait(false))!;
        return new CasePage(ToCases(result[1]), (int)result[0]);
    }

    public async Task<HotlineCase> UpdateAsync(HotlineCase hotlineCase, CancellationToken cancellationToken = default)
    {
        var revision = CaseUpdate.Start(hotlineCase, _time);
        var document = revision.Document;
        RedisKey[] keys =
        [
            CaseKey(document.Id),
            _unfinished,
            StatusKey(document.Status),
            .. Statuses.Where(s => s != document.Status).Select(StatusKey),
        ];
        RedisValue[] arguments = [document.Id, revision.ExpectedVersion, document.Serialize(), Flag(CaseProgress.IsUnfinished(document))];
        cancellationToken.ThrowIfCancellationRequested();
        var stored = (long)await _database.ScriptEvaluateAsync(UpdateScript, keys, arguments).ConfigureAwait(false);
        if (stored != revision.ExpectedVersion || stored == 0)
        {
            throw revision.Refused(stored == 0 ? null : stored);
        }

        return revision.Complete();
    }

    public async Task AppendTranscriptAsync(string caseId, TranscriptLine line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(line);
        cancellationToken.ThrowIfCancellationRequested();
        var appended = (int)await _database.ScriptEvaluateAsync(AppendScript, [CaseKey(caseId), TranscriptKey(caseId)], [SerializeLine(line)]).ConfigureAwait(false);
        if (appended == 0)
        {
            throw new CaseNotFoundException(caseId);
        }
    }

    public Task<IReadOnlyList<HotlineCase>> ListUnfinishedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(IndexScript, [_unfinished], "0", cancellationToken);

    public Task<IReadOnlyList<HotlineCase>> ListByConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channelId);
        ArgumentNullException.ThrowIfNull(conversationId);
        return ReadAsync(IndexScript, [ConversationKey(channelId, conversationId)], "1", cancellationToken);
    }

    private static RedisValue Flag(bool value) => value ? 1 : 0;

    private static string SerializeLine(TranscriptLine line) => JsonSerializer.Serialize(line, CaseDocument.JsonOptions);

    private static TranscriptLine DeserializeLine(string json) =>
        JsonSerializer.Deserialize<TranscriptLine>(json, CaseDocument.JsonOptions) ?? throw new JsonException("A stored transcript line is null.");

    /// <summary>Cases as the read function returns them: id, version, document, transcript lines.</summary>
    private static List<HotlineCase> ToCases(RedisResult result) =>
        [.. ((RedisResult[])result!).Select(item =>
        {
            var fields = (RedisResult[])item!;
            var lines = ((RedisResult[])fields[3]!).Select(l => DeserializeLine((string)l!));
            return CaseDocument.Deserialize((string)fields[2]!).ToCase((long)fields[1], lines);
        })];

    private async Task<IReadOnlyList<HotlineCase>> ReadAsync(string script, RedisKey[] keys, RedisValue argument, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await _database.ScriptEvaluateAsync(script, keys, [.. _readPrefixes, argument]).ConfigureAwait(false);
        return ToCases(result);
    }

    private RedisKey CaseKey(string id) => _keys.Key(Area, "case", id);

    private RedisKey TranscriptKey(string id) => _keys.Key(Area, "transcript", id);

    private RedisKey StatusKey(CaseStatus status) => _keys.Key(Area, "status", status.ToString());

    /// <summary>The channel's length keeps "a:b" + "c" apart from "a" + "b:c".</summary>
    private RedisKey ConversationKey(string channelId, string conversationId) =>
        _keys.Key(Area, "conversation", channelId.Length.ToString(CultureInfo.InvariantCulture), channelId, conversationId);
}
