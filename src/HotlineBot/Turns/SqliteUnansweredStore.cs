using System.Globalization;
using HotlineBot.Sqlite;

namespace HotlineBot.Turns;

/// <summary>
/// What the admins did with unanswered questions, in the turn records' file: which wordings were
/// resolved to which entry (by whom, when), and which workers were sent which entry's answer, so
/// that nobody gets the same answer twice however often an admin presses notify.
/// </summary>
public sealed class SqliteUnansweredStore : IUnansweredStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS unanswered_resolutions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_key TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            resolved_by TEXT NOT NULL,
            resolved_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS unanswered_resolutions_key ON unanswered_resolutions (question_key, resolved_at);
        CREATE TABLE IF NOT EXISTS answer_notifications (
            entry_id TEXT NOT NULL,
            worker TEXT NOT NULL,
            channel TEXT,
            conversation TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (entry_id, worker));
        """;

    private readonly SqliteDatabase _database;

    /// <param name="path">The SQLite file (the turn log's).</param>
    public SqliteUnansweredStore(string path) => _database = new SqliteDatabase(path, Schema);

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose() => _database.ClearPool();

    /// <summary>Records that the questions with these normalized wordings were resolved to the entry.</summary>
    public async Task ResolveAsync(IReadOnlyCollection<string> questionKeys, string entryId, string resolvedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(questionKeys);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO unanswered_resolutions (question_key, entry_id, resolved_by, resolved_at) VALUES ($key, $entry, $by, $at)";
        var key = command.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
        command.Parameters.AddWithValue("$entry", entryId);
        command.Parameters.AddWithValue("$by", resolvedBy);
        command.Parameters.AddWithValue("$at", SqliteTurnLog.Timestamp(at));
        foreach (var questionKey in questionKeys.Distinct(StringComparer.Ordinal))
        {
            key.Value = questionKey;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each resolved wording's latest resolution time: questions asked before it are done, later ones are new.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LatestResolutionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT question_key, MAX(resolved_at) FROM unanswered_resolutions GROUP BY question_key";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            latest[reader.GetString(0)] = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        }

        return latest;
    }

    /// <summary>The workers who were already sent the entry's answer.</summary>
    public async Task<IReadOnlySet<string>> SentToAsync(string entryId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT worker FROM answer_notifications WHERE entry_id = $entry";
        command.Parameters.AddWithValue("$entry", entryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var workers = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            workers.Add(reader.GetString(0));
        }

        return workers;
    }

    /// <summary>Records that the worker was sent the entry's answer in the conversation; false when that was already recorded.</summary>
    public async Task<bool> RecordSentAsync(string entryId, string worker, string? channelId, string conversationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO answer_notifications (entry_id, worker, channel, conversation, sent_at)
            VALUES ($entry, $worker, $channel, $conversation, $at)
            """;
        command.Parameters.AddWithValue("$entry", entryId);
        command.Parameters.AddWithValue("$worker", worker);
        command.Parameters.AddWithValue("$channel", (object?)channelId ?? DBNull.Value);
        command.Parameters.AddWithValue("$conversation", conversationId);
        command.Parameters.AddWithValue("$at", SqliteTurnLog.Timestamp(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
