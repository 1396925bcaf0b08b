using System.Globalization;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Storage;

namespace HotlineBot.Turns;

/// <summary>
/// Every turn in a SQLite file under the data directory, for the admins' unanswered-question view
/// and for metrics. Questions arrive already masked; no raw user ids are kept. Written in batches
/// by a background writer (<see cref="SqliteAppendLog{T}"/>); disposing flushes.
/// </summary>
public sealed class SqliteTurnLog : ITurnRecords, IAsyncDisposable, IDisposable
{
    private const string Schema = """
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
        CREATE INDEX IF NOT EXISTS turns_at ON turns (at);
        """;

    private const string Insert = """
        INSERT INTO turns (at, channel, conversation, user_hash, question, kind, entry_id, confidence, reason, feedback, case_id)
        VALUES ($at, $channel, $conversation, $user, $question, $kind, $entry, $confidence, $reason, $feedback, $case)
        """;

    private static readonly string[] Parameters =
        ["$at", "$channel", "$conversation", "$user", "$question", "$kind", "$entry", "$confidence", "$reason", "$feedback", "$case"];

    private readonly SqliteAppendLog<TurnRecord> _log;

    public SqliteTurnLog(string path, ILogger<SqliteTurnLog> logger)
    {
        FilePath = Path.GetFullPath(path);
        _log = new SqliteAppendLog<TurnRecord>(path, Schema, Insert, Parameters, Bind, logger);
    }

    /// <summary>The SQLite file (the unanswered inbox keeps its own tables beside the turns).</summary>
    public string FilePath { get; }

    public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _log.Append(record);
        return Task.CompletedTask;
    }

    /// <summary>Waits until everything recorded so far is in the file.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _log.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => _log.DisposeAsync();

    public void Dispose() => _log.Dispose();

    /// <summary>The most recent turns, newest first.</summary>
    public async Task<IReadOnlyList<TurnRecord>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        var turns = await ReadAsync("ORDER BY id DESC LIMIT $limit", "$limit", limit, cancellationToken).ConfigureAwait(false);
        return [.. turns.Select(t => t.Record)];
    }

    /// <summary>The turns handled at or after <paramref name="since"/>, in the order they were recorded, with their row ids.</summary>
    public Task<IReadOnlyList<StoredTurn>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAsync("WHERE at >= $since ORDER BY id", "$since", Timestamp(since), cancellationToken);

    private async Task<IReadOnlyList<StoredTurn>> ReadAsync(string filter, string parameter, object value, CancellationToken cancellationToken)
    {
        await using var connection = _log.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, conversation, user_hash, question, kind, entry_id, confidence, reason, feedback, case_id, channel, id FROM turns " + filter;
        command.Parameters.AddWithValue(parameter, value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var turns = new List<StoredTurn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = new TurnRecord(
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
            };
            turns.Add(new StoredTurn(reader.GetInt64(11), record));
        }

        return turns;
    }

    /// <summary>The stored form of a time: UTC, round-trip, so that text order is time order.</summary>
    internal static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static object?[] Bind(TurnRecord record) =>
    [
        Timestamp(record.Timestamp), record.ChannelId, record.ConversationId,
        record.UserHash, record.Question, record.Kind, record.EntryId, record.Confidence, record.Reason, record.Feedback, record.CaseId,
    ];
}
