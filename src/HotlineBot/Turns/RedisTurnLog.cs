using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Turns;

/// <summary>
/// Every instance's turns in one Redis stream <c>{prefix}turns</c> (scaled out), so the admins' unanswered
/// inbox on any instance reads the questions asked on all of them. One entry per turn: <c>n</c>, the turn's id
/// from the counter <c>{prefix}turns:next</c>, and <c>turn</c>, the record as JSON (already masked: no raw phone,
/// ID or user numbers). The entry's stream id is the turn's own time (ms) unless that is older than the
/// stream's last entry, so a stream range from a time finds every turn handled since, and old turns can be
/// trimmed by time: each write trims entries older than <see cref="DefaultRetention"/> (approximately, whole
/// nodes at a time), and the stream never holds much more than <see cref="DefaultMaxLength"/> entries.
/// Recording only queues: one background writer sends the queued turns in batches, one script each (number,
/// add, trim), so a turn never waits on Redis; while Redis is out of reach a batch is logged and dropped.
/// </summary>
/// <remarks>
/// Ids come from a counter rather than from the stream id: the script numbers the entries in the order it
/// adds them, so ids rise in recording order across instances, stay the same on every read, and fit any JSON
/// reader, without capping the stream id's sequence (many turns can share one millisecond).
/// </remarks>
public sealed partial class RedisTurnLog : ITurnRecords, IAsyncDisposable, IDisposable
{
    /// <summary>How long turns are kept by default: three times the inbox's default look-back (an admin asking for more days sees what is kept).</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(90);

    /// <summary>A safety net on the stream's length should the time trimming ever not keep up.</summary>
    public const long DefaultMaxLength = 1_000_000;

    private const int MaxBatch = 256;

    private const int Page = 1000;

    /// <summary>
    /// KEYS: stream, id counter. ARGV: oldest ms to keep, maximum length, then each turn's ms and JSON.
    /// A turn's stream id is its ms, or the last entry's when that is later (a stream id must rise).
    /// </summary>
    private const string AppendScript = """
        local last = 0
        if redis.call('EXISTS', KEYS[1]) == 1 then
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            for i = 1, #info, 2 do
                if info[i] == 'last-generated-id' then
                    last = tonumber(string.match(info[i + 1], '^%d+'))
                end
            end
        end
        for i = 3, #ARGV, 2 do
            local ms = math.max(tonumber(ARGV[i]), last)
            local n = redis.call('INCR', KEYS[2])
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], string.format('%d-*', ms), 'n', n, 'turn', ARGV[i + 1])
            last = ms
        end
        redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[1])
        return (#ARGV - 2) / 2
        """;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IDatabase _database;
    private readonly RedisKey _streamKey;
    private readonly RedisKey _nextKey;
    private readonly TimeSpan _retention;
    private readonly long _maxLength;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisTurnLog> _logger;
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="connection">The shared connection.</param>
    /// <param name="keys">The hotline's keys.</param>
    /// <param name="logger">Where dropped batches are reported.</param>
    /// <param name="retention">How long turns are kept (<see cref="DefaultRetention"/> when null).</param>
    /// <param name="maxLength">The stream's length cap (<see cref="DefaultMaxLength"/> when null).</param>
    /// <param name="time">The clock retention is measured on (the system clock when null).</param>
    public RedisTurnLog(
        IConnectionMultiplexer connection, RedisKeys keys, ILogger<RedisTurnLog> logger, TimeSpan? retention = null, long? maxLength = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(logger);
        _database = connection.GetDatabase();
        _streamKey = keys.Key("turns");
        _nextKey = keys.Key("turns", "next");
        _retention = retention ?? DefaultRetention;
        _maxLength = maxLength ?? DefaultMaxLength;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_retention, TimeSpan.Zero, nameof(retention));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxLength, 1, nameof(maxLength));
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues the turn; it reaches Redis shortly (or at <see cref="FlushAsync"/>). Never waits on Redis, never throws for it.</summary>
    public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_queue.Writer.TryWrite(new Queued(record, null)))
        {
            LogStopped(_logger);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until every turn queued so far was sent (or, Redis being out of reach, dropped).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Queued(null, flushed)))
        {
            // Stopping: the writer sends what is queued and ends.
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredTurn>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Stream ids are never older than their turns, so the range from since's ms holds every turn since.
        var sinceMs = since.ToUnixTimeMilliseconds();
        RedisValue from = sinceMs > 0 ? sinceMs.ToString(CultureInfo.InvariantCulture) : "-";
        var turns = new List<StoredTurn>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = await _database.StreamRangeAsync(_streamKey, from, "+", Page).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                if (Read(entry) is { } turn && turn.Record.Timestamp >= since)
                {
                    turns.Add(turn);
                }
            }

            if (entries.Length < Page)
            {
                return turns;
            }

            from = "(" + entries[^1].Id;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static StoredTurn? Read(StreamEntry entry)
    {
        var id = entry["n"];
        var json = entry["turn"];
        return id.TryParse(out long n) && !json.IsNullOrEmpty && JsonSerializer.Deserialize<TurnRecord>((string)json!, JsonOptions) is { } record
            ? new StoredTurn(n, record)
            : null;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<TurnRecord>(MaxBatch);
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // A flush marker ends the batch: it is done once everything queued before it is.
            while (batch.Count < MaxBatch && flushes.Count == 0 && _queue.Reader.TryRead(out var queued))
            {
                if (queued.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                }
                else
                {
                    batch.Add(queued.Record!);
                }
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }

            flushes.ForEach(f => f.TrySetResult());
            flushes.Clear();
        }
    }

    /// <summary>Sends one batch; a failure is logged and the batch dropped (turn records are for the inbox and metrics, not the worker).</summary>
    private async Task WriteAsync(List<TurnRecord> batch)
    {
        var arguments = new List<RedisValue>(2 + (2 * batch.Count))
        {
            (_time.GetUtcNow() - _retention).ToUnixTimeMilliseconds(),
            _maxLength,
        };
        foreach (var record in batch)
        {
            arguments.Add(Math.Max(0, record.Timestamp.ToUnixTimeMilliseconds()));
            arguments.Add(JsonSerializer.Serialize(record, JsonOptions));
        }

        try
        {
            await _database.ScriptEvaluateAsync(AppendScript, [_streamKey, _nextKey], [.. arguments]).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisOutage.Is(e) || e is RedisException or ObjectDisposedException)
        {
            if (RedisOutage.Is(e))
            {
                LogOutage(_logger, batch.Count, e.Message);
            }
            else
            {
                LogWriteFailed(_logger, e, batch.Count);
            }
        }
    }

    /// <summary>A turn to send, or a flush waiting for everything queued before it.</summary>
    private readonly record struct Queued(TurnRecord? Record, TaskCompletionSource? Flushed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is out of reach: {Count} turn records were not kept ({Error})")]
    private static partial void LogOutage(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} turn records to Redis; they were not kept")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A turn record arrived after the turn log stopped; it was not kept")]
    private static partial void LogStopped(ILogger logger);
}
