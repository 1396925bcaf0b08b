using System.Globalization;
using HotlineBot.Dialogs.TurnLogging;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Turns;

/// <summary>
/// Every turn in a SQLite file under the data directory, for the admins' unanswered-question view
/// and for metrics. Questions arrive already masked; no raw user ids are kept.
/// </summary>
public sealed class SqliteTurnLog : ITurnLog
{
    private readonly string _connectionString;

    public SqliteTurnLog(string path)
    {
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
    }

    public async Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO turns (at, channel, conversation, user_hash, question, kind, entry_id, confidence, reason, feedback, case_id)
            VALUES ($at, $channel, $conversation, $user, $question, $kind, $entry, $confidence, $reason, $feedback, $case)
            """;
        command.Parameters.AddWithValue("$at", record.Timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$channel", (object?)record.ChannelId ?? DBNull.Value);
        command.Parameters.AddWithValue("$conversation", record.ConversationId);
        command.Parameters.AddWithValue("$user", record.UserHash);
        command.Parameters.AddWithValue("$question", record.Question);
        command.Parameters.AddWithValue("$kind", record.Kind);
        command.Parameters.AddWithValue("$entry", (object?)record.EntryId ?? DBNull.Value);
        command.Parameters.AddWithValue("$confidence", (object?)record.Confidence ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)record.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$feedback", (object?)record.Feedback ?? DBNull.Value);
        command.Parameters.AddWithValue("$case", (object?)record.CaseId ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

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
