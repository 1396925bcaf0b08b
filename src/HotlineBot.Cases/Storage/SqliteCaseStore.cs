using System.Globalization;
using System.Text;
using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Cases.Storage;

/// <summary>
/// Cases in one SQLite file (the embedded default), in WAL mode so readers never wait for the writer.
/// Tables: <c>cases</c> (the JSON document beside indexed status, priority, deadline and conversation
/// columns, and the version), <c>case_transcript</c> (one row per line) and <c>case_counters</c> (the
/// last number handed out per day). Every write is one immediate transaction, so numbering a new case,
/// checking a version and appending a line are atomic across threads and processes. Thread-safe: every
/// call uses its own (pooled) connection.
/// </summary>
public sealed class SqliteCaseStore : ICaseStore, IDisposable
{
    private const string CaseColumns = "id, version, document";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS cases (
            id                 TEXT PRIMARY KEY NOT NULL,
            status             TEXT NOT NULL,
            priority           TEXT NOT NULL,
            category           TEXT NOT NULL,
            first_response_due INTEGER NULL,     -- Unix milliseconds
            channel_id         TEXT NOT NULL,
            conversation_id    TEXT NOT NULL,
            created_at         INTEGER NOT NULL, -- Unix milliseconds
            version            INTEGER NOT NULL,
            document           TEXT NOT NULL     -- CaseDocument JSON
        );
        CREATE INDEX IF NOT EXISTS ix_cases_status_created ON cases (status, created_at);
        CREATE INDEX IF NOT EXISTS ix_cases_priority ON cases (priority);
        CREATE INDEX IF NOT EXISTS ix_cases_due ON cases (first_response_due);
        CREATE INDEX IF NOT EXISTS ix_cases_created ON cases (created_at);
        CREATE INDEX IF NOT EXISTS ix_cases_conversation ON cases (channel_id, conversation_id);
        CREATE TABLE IF NOT EXISTS case_transcript (
            case_id TEXT NOT NULL REFERENCES cases (id),
            seq     INTEGER NOT NULL,
            at      TEXT NOT NULL,                -- ISO 8601 with offset
            role    TEXT NOT NULL,
            text    TEXT NOT NULL,
            PRIMARY KEY (case_id, seq)
        );
        -- Cases with a message still to deliver: closed ones among them stay unfinished until it is out.
        CREATE TABLE IF NOT EXISTS case_outbox (
            case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases (id)
        );
        CREATE TABLE IF NOT EXISTS case_counters (
            day  TEXT PRIMARY KEY NOT NULL,       -- yyyyMMdd in the hotline's time zone
            last INTEGER NOT NULL
        );
        """;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _timeZone;

    /// <param name="path">The database file; it and its directory are created on first use.</param>
    /// <param name="timeProvider">The clock for creation and update times (the system clock by default).</param>
    /// <param name="timeZone">The hotline's time zone, which dates the ids (<see cref="CaseIds.DefaultTimeZone"/> by default).</param>
    public SqliteCaseStore(string path, TimeProvider? timeProvider = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _time = timeProvider ?? TimeProvider.System;
        _timeZone = timeZone ?? CaseIds.DefaultTimeZone;
        _database = new SqliteDatabase(FilePath, Schema);
    }

    public string FilePath { get; }

    public async Task<HotlineCase> CreateAsync(HotlineCase draft, CancellationToken cancellationToken = default)
    {
        var creation = CaseCreation.Start(draft, _time, _timeZone);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);

        long number;
        await using (var counter = connection.CreateCommand())
        {
            counter.Transaction = transaction;
            counter.CommandText = """
                INSERT INTO case_counters (day, last) VALUES (@day, 1)
                ON CONFLICT (day) DO UPDATE SET last = last + 1
                RETURNING last
                """;
            counter.Parameters.AddWithValue("@day", creation.DayKey);
            number = Convert.ToInt64(await counter.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var document = creation.Document(number);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO cases (id, status, priority, category, first_response_due, channel_id, conversation_id, created_at, version, document)
                VALUES (@id, @status, @priority, @category, @due, @channel, @conversation, @created, 1, @document)
                """;
            BindIndexed(insert, document);
            insert.Parameters.AddWithValue("@channel", document.Worker.ChannelId);
            insert.Parameters.AddWithValue("@conversation", document.Worker.ConversationId);
            insert.Parameters.AddWithValue("@created", creation.CreatedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("@document", document.Serialize());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await SyncOutboxAsync(connection, transaction, document, cancellationToken).ConfigureAwait(false);
        var seq = 0;
        foreach (var line in draft.Transcript)
        {
            await InsertLineAsync(connection, transaction, document.Id, ++seq, line, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return creation.Complete(document);
    }

    public async Task<HotlineCase?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = await ReadCasesAsync(connection, $"SELECT {CaseColumns} FROM cases WHERE id = @id", c => c.Parameters.AddWithValue("@id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var where = new StringBuilder();
        var statuses = query.Statuses?.Distinct().ToArray();
        if (statuses is not null)
        {
            where.Append(" WHERE status IN (").Append(StatusList(statuses)).Append(')');
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One read transaction: the total and the page come from the same snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        int total;
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT COUNT(*) FROM cases" + where;
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var items = await ReadCasesAsync(
            connection,
            $"SELECT {CaseColumns} FROM cases{where} ORDER BY created_at, rowid LIMIT @take OFFSET @skip",
            c =>
            {
                c.Transaction = transaction;
                c.Parameters.AddWithValue("@take", query.PageSize);
                c.Parameters.AddWithValue("@skip", (long)(query.Page - 1) * query.PageSize);
            },
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CasePage(items, total);
    }

    public async Task<HotlineCase> UpdateAsync(HotlineCase hotlineCase, CancellationToken cancellationToken = default)
    {
        var revision = CaseUpdate.Start(hotlineCase, _time);
        var document = revision.Document;

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE cases SET status = @status, priority = @priority, category = @category, first_response_due = @due,
                                 version = version + 1, document = @document
                WHERE id = @id AND version = @version
                """;
            BindIndexed(update, document);
            update.Parameters.AddWithValue("@version", revision.ExpectedVersion);
            update.Parameters.AddWithValue("@document", document.Serialize());
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw revision.Refused(await StoredVersionAsync(connection, transaction, document.Id, cancellationToken).ConfigureAwait(false));
            }
        }

        await SyncOutboxAsync(connection, transaction, document, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revision.Complete();
    }

    public async Task AppendTranscriptAsync(string caseId, TranscriptLine line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(line);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await StoredVersionAsync(connection, transaction, caseId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new CaseNotFoundException(caseId);
        }

        long next;
        await using (var max = connection.CreateCommand())
        {
            max.Transaction = transaction;
            max.CommandText = "SELECT COALESCE(MAX(seq), 0) + 1 FROM case_transcript WHERE case_id = @id";
            max.Parameters.AddWithValue("@id", caseId);
            next = Convert.ToInt64(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        await InsertLineAsync(connection, transaction, caseId, next, line, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HotlineCase>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCasesAsync(
            connection,
            $"SELECT {CaseColumns} FROM cases WHERE status IN ({StatusList(CaseStatuses.Open)}) OR id IN (SELECT case_id FROM case_outbox) ORDER BY created_at, rowid",
            _ => { },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HotlineCase>> ListByConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channelId);
        ArgumentNullException.ThrowIfNull(conversationId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCasesAsync(
            connection,
            $"SELECT {CaseColumns} FROM cases WHERE channel_id = @channel AND conversation_id = @conversation ORDER BY created_at DESC, rowid DESC",
            c =>
            {
                c.Parameters.AddWithValue("@channel", channelId);
                c.Parameters.AddWithValue("@conversation", conversationId);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the pooled connections to the file (so it can be moved or deleted).</summary>
    public void Dispose()
    {
        _database.ClearPool();
    }

    /// <summary>Enum names are fixed identifiers, so they are safe to inline as SQL literals.</summary>
    private static string StatusList(IEnumerable<CaseStatus> statuses)
    {
        var list = string.Join(", ", statuses.Select(s => "'" + s.ToString() + "'"));
        return list.Length == 0 ? "NULL" : list;
    }

    private static void BindIndexed(SqliteCommand command, CaseDocument document)
    {
        command.Parameters.AddWithValue("@id", document.Id);
        command.Parameters.AddWithValue("@status", document.Status.ToString());
        command.Parameters.AddWithValue("@priority", document.Priority.ToString());
        command.Parameters.AddWithValue("@category", document.Category.ToString());
        command.Parameters.AddWithValue("@due", document.FirstResponseDue is { } due ? due.ToUnixTimeMilliseconds() : DBNull.Value);
    }

    private static async Task SyncOutboxAsync(SqliteConnection connection, SqliteTransaction transaction, CaseDocument document, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CaseProgress.HasPendingDelivery(document)
            ? "INSERT OR IGNORE INTO case_outbox (case_id) VALUES (@id)"
            : "DELETE FROM case_outbox WHERE case_id = @id";
        command.Parameters.AddWithValue("@id", document.Id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertLineAsync(SqliteConnection connection, SqliteTransaction transaction, string caseId, long seq, TranscriptLine line, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO case_transcript (case_id, seq, at, role, text) VALUES (@id, @seq, @at, @role, @text)";
        command.Parameters.AddWithValue("@id", caseId);
        command.Parameters.AddWithValue("@seq", seq);
        command.Parameters.AddWithValue("@at", line.At.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("@role", line.Role.ToString());
        command.Parameters.AddWithValue("@text", line.Text);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long?> StoredVersionAsync(SqliteConnection connection, SqliteTransaction transaction, string caseId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM cases WHERE id = @id";
        command.Parameters.AddWithValue("@id", caseId);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Reads case rows, then their transcripts in one query.</summary>
    private static async Task<List<HotlineCase>> ReadCasesAsync(SqliteConnection connection, string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, long Version, string Json)>();
        SqliteTransaction? transaction;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            bind(command);
            transaction = command.Transaction;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        var transcripts = rows.ToDictionary(r => r.Id, _ => new List<TranscriptLine>(), StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Id).Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@c" + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.AddWithValue(names[i], chunk[i]);
            }

            command.CommandText = $"SELECT case_id, at, role, text FROM case_transcript WHERE case_id IN ({string.Join(", ", names)}) ORDER BY case_id, seq";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                transcripts[reader.GetString(0)].Add(new TranscriptLine(
                    DateTimeOffset.ParseExact(reader.GetString(1), "O", CultureInfo.InvariantCulture),
                    Enum.Parse<TranscriptRole>(reader.GetString(2)),
                    reader.GetString(3)));
            }
        }

        return [.. rows.Select(r => CaseDocument.Deserialize(r.Json).ToCase(r.Version, transcripts[r.Id]))];
    }
}
