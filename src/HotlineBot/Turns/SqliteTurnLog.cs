using System.Globalization;
using System.Threading.Channels;
using HotlineBot.Dialogs.TurnLogging;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Turns;

/// <summary>
/// Every turn in a SQLite file under the data directory, for the admins' unanswered-question view
/// and for metrics. Questions arrive already masked; no raw user ids are kept. Records are queued
/// and written by one background writer in batches, one transaction each: under load the turns
/// never wait on SQLite's single write lock. Disposing flushes the queue.
/// </summary>
public sealed partial class SqliteTurnLog : ITurnLog, IAsyncDisposable, IDisposable
{
    private const int MaxBatch = 256;

    private static readonly string[] ParameterNames =
        ["$at", "$channel", "$conversation", "$user", "$question", "$kind", "$entry", "$confidence", "$reason", "$feedback", "$case"];

    private readonly string _connectionString;
    private readonly Channel<TurnRecord> _queue = Channel.CreateUnbounded<TurnRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly ILogger _logger;
    private int _pending;

    public SqliteTurnLog(string path, ILogger<SqliteTurnLog> logger)
    {
        _logger = logger;
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS turns (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                channel TEXT,
                conversation TEXT NOT NULL,
                user_hash TEXT NOT NULL,
                question TEXT NOT NULL,
                kind TEXT NOT NULL,
                entry_id TEXT,
                confidence REAL,
                reason TEXT,
                feedback TEXT,
                case_id TEXT);
            CREATE INDEX IF NOT EXISTS turns_kind_at ON turns (kind, at);
            """;
        command.ExecuteNonQuery();
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(record))
        {
            return Task.CompletedTask;
        }

        Interlocked.Decrement(ref _pending);
        throw new ObjectDisposedException(nameof(SqliteTurnLog));
    }

    /// <summary>Waits until everything recorded so far is in the file.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var batch = new List<TurnRecord>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await WriteAsync(batch).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                LogWriteFailed(_logger, e, batch.Count);
            }

            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<TurnRecord> batch)
    {
        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO turns (at, channel, conversation, user_hash, question, kind, entry_id, confidence, reason, feedback, case_id)
            VALUES ($at, $channel, $conversation, $user, $question, $kind, $entry, $confidence, $reason, $feedback, $case)
            """;
        var parameters = ParameterNames
            .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();
        foreach (var record in batch)
        {
            object?[] values =
            [
                record.Timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), record.ChannelId, record.ConversationId,
                record.UserHash, record.Question, record.Kind, record.EntryId, record.Confidence, record.Reason, record.Feedback, record.CaseId,
            ];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} turn records.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    /// <summary>The most recent turns, newest first.</summary>
    public async Task<IReadOnlyList<TurnRecord>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, conversation, user_hash, question, kind, entry_id, confidence, reason, feedback, case_id, channel FROM turns ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<TurnRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new TurnRecord(
                DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4))
            {
                EntryId = reader.IsDBNull(5) ? null : reader.GetString(5),
                Confidence = reader.IsDBNull(6) ? null : reader.GetDouble(6),
                Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
                Feedback = reader.IsDBNull(8) ? null : reader.GetString(8),
                CaseId = reader.IsDBNull(9) ? null : reader.GetString(9),
                ChannelId = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return records;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
