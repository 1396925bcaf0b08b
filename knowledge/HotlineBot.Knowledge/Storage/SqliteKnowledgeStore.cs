using System.Globalization;
using System.Text;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Knowledge.Storage;

/// <summary>
/// Policy entries in one SQLite file (the embedded default). <c>knowledge_versions</c> holds every
/// version as an immutable row (triggers refuse updates and deletes); <c>knowledge_entries</c> points
/// at each entry's current version beside the columns that lists filter on; <c>knowledge_counters</c>
/// numbers generated ids per category. Every write is one immediate transaction, so the version check
/// and the write cannot interleave with another writer, in this process or another. Thread-safe: every
/// call uses its own (pooled) connection.
/// </summary>
public sealed class SqliteKnowledgeStore : IKnowledgeStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS knowledge_versions (
            entry_id TEXT NOT NULL,
            version  INTEGER NOT NULL,
            kind     TEXT NOT NULL,
            author   TEXT NOT NULL,
            at       TEXT NOT NULL,    -- ISO 8601 with offset
            at_ms    INTEGER NOT NULL, -- Unix milliseconds, for ordering
            changes  TEXT NOT NULL,    -- FieldChange[] JSON
            document TEXT NOT NULL,    -- PolicyEntry JSON
            PRIMARY KEY (entry_id, version)
        );
        CREATE INDEX IF NOT EXISTS ix_knowledge_versions_at ON knowledge_versions (at_ms);
        CREATE TRIGGER IF NOT EXISTS knowledge_versions_no_update BEFORE UPDATE ON knowledge_versions
        BEGIN SELECT RAISE(ABORT, 'knowledge versions are immutable'); END;
        CREATE TRIGGER IF NOT EXISTS knowledge_versions_no_delete BEFORE DELETE ON knowledge_versions
        BEGIN SELECT RAISE(ABORT, 'knowledge versions are immutable'); END;
        CREATE TABLE IF NOT EXISTS knowledge_entries (
            id          TEXT PRIMARY KEY NOT NULL,
            version     INTEGER NOT NULL,
            category    TEXT NOT NULL,
            status      TEXT NOT NULL,
            search_text TEXT NOT NULL, -- question and alternates, upper-cased, one per line
            FOREIGN KEY (id, version) REFERENCES knowledge_versions (entry_id, version)
        );
        CREATE INDEX IF NOT EXISTS ix_knowledge_entries_category ON knowledge_entries (category, status);
        CREATE INDEX IF NOT EXISTS ix_knowledge_entries_status ON knowledge_entries (status);
        CREATE TABLE IF NOT EXISTS knowledge_counters (
            category TEXT PRIMARY KEY NOT NULL,
            last     INTEGER NOT NULL
        );
        """;

    private const string RevisionColumns = "v.entry_id, v.version, v.kind, v.author, v.at, v.changes, v.document";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    /// <param name="path">The database file; it and its directory are created on first use.</param>
    /// <param name="timeProvider">The clock that dates versions (the system clock by default).</param>
    public SqliteKnowledgeStore(string path, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(path, Schema);
        _time = timeProvider ?? TimeProvider.System;
    }

    public string FilePath => _database.FilePath;

    public async Task<KnowledgePage<PolicyEntry>> ListAsync(KnowledgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        if (KnowledgeVersioning.SearchNeedle(query) is { } needle)
        {
            // instr, not LIKE: admins' text may hold % or _, and matching is a plain substring test.
            where.Append(" AND instr(e.search_text, @text) > 0");
            parameters.Add(("@text", needle));
        }

        if (!string.IsNullOrEmpty(query.Category))
        {
            where.Append(" AND e.category = @category");
            parameters.Add(("@category", query.Category));
        }

        if (query.Status is { } status)
        {
            where.Append(" AND e.status = @status");
            parameters.Add(("@status", KnowledgeVersioning.StatusText(status)));
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One read transaction: the total and the page come from the same snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        int total;
        await using (var count = Command(connection, transaction, "SELECT COUNT(*) FROM knowledge_entries e" + where, parameters))
        {
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var items = new List<PolicyEntry>();
        await using (var select = Command(
            connection,
            transaction,
            $"SELECT v.document FROM knowledge_entries e JOIN knowledge_versions v ON v.entry_id = e.id AND v.version = e.version{where} ORDER BY e.id LIMIT @take OFFSET @skip",
            parameters))
        {
            select.Parameters.AddWithValue("@take", query.PageSize);
            select.Parameters.AddWithValue("@skip", (long)(query.Page - 1) * query.PageSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(KnowledgeVersioning.DeserializeEntry(reader.GetString(0)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new KnowledgePage<PolicyEntry>(items, total);
    }

    public async Task<PolicyEntry?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CurrentAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PolicyEntry> CreateAsync(PolicyEntry entry, string author, CancellationToken cancellationToken = default)
    {
        var generateId = KnowledgeVersioning.ValidateNew(entry, author);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        string id;
        if (generateId)
        {
            id = await NextIdAsync(connection, transaction, entry.Category, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            id = entry.Id;
            if (await StoredVersionAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new KnowledgeEntryExistsException(id);
            }
        }

        var created = entry with { Id = id, Version = 1 };
        KnowledgeVersioning.Validate(created);
        await InsertVersionAsync(connection, transaction, null, created, RevisionKind.Created, author, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<PolicyEntry> UpdateAsync(PolicyEntry entry, int expectedVersion, string author, CancellationToken cancellationToken = default)
    {
        KnowledgeVersioning.ValidateUpdate(entry, expectedVersion, author);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await CurrentAsync(connection, transaction, entry.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new KnowledgeEntryNotFoundException(entry.Id);
        if (KnowledgeVersioning.NextForUpdate(current, entry, expectedVersion) is not (var next, var kind))
        {
            return current;
        }

        await InsertVersionAsync(connection, transaction, current, next, kind, author, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    public async Task<PolicyEntry> RetireAsync(string id, int? expectedVersion, string author, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await CurrentAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false)
            ?? throw new KnowledgeEntryNotFoundException(id);
        if (KnowledgeVersioning.NextForRetire(current, expectedVersion) is not { } next)
        {
            return current;
        }

        await InsertVersionAsync(connection, transaction, current, next, RevisionKind.Retired, author, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    public async Task<IReadOnlyList<EntryRevision>> HistoryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(
            connection,
            null,
            $"SELECT {RevisionColumns} FROM knowledge_versions v WHERE v.entry_id = @id ORDER BY v.version",
            [("@id", id)]);
        return await ReadRevisionsAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KnowledgePage<EntryRevision>> AuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        if (!string.IsNullOrEmpty(query.EntryId))
        {
            where.Append(" AND v.entry_id = @id");
            parameters.Add(("@id", query.EntryId));
        }

        if (!string.IsNullOrEmpty(query.Author))
        {
            where.Append(" AND v.author = @author");
            parameters.Add(("@author", query.Author));
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        int total;
        await using (var count = Command(connection, transaction, "SELECT COUNT(*) FROM knowledge_versions v" + where, parameters))
        {
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        IReadOnlyList<EntryRevision> items;
        await using (var select = Command(
            connection,
            transaction,
            $"SELECT {RevisionColumns} FROM knowledge_versions v{where} ORDER BY v.at_ms DESC, v.rowid DESC LIMIT @take OFFSET @skip",
            parameters))
        {
            select.Parameters.AddWithValue("@take", query.PageSize);
            select.Parameters.AddWithValue("@skip", (long)(query.Page - 1) * query.PageSize);
            items = await ReadRevisionsAsync(select, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new KnowledgePage<EntryRevision>(items, total);
    }

    public async Task<int> SeedAsync(IEnumerable<PolicyEntry> entries, string author, CancellationToken cancellationToken = default)
    {
        var seeds = KnowledgeVersioning.PrepareSeeds(entries, author);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var any = Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM knowledge_entries)", []))
        {
            if (Convert.ToInt64(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0)
            {
                return 0;
            }
        }

        foreach (var seed in seeds)
        {
            await InsertVersionAsync(connection, transaction, null, seed, RevisionKind.Seeded, author, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return seeds.Count;
    }

    /// <summary>Closes the pooled connections to the file (so it can be moved or deleted).</summary>
    public void Dispose() => _database.ClearPool();

    private async Task InsertVersionAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        PolicyEntry? before,
        PolicyEntry after,
        RevisionKind kind,
        string author,
        CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        await using (var insert = Command(
            connection,
            transaction,
            """
            INSERT INTO knowledge_versions (entry_id, version, kind, author, at, at_ms, changes, document)
            VALUES (@id, @version, @kind, @author, @at, @atMs, @changes, @document)
            """,
            [
                ("@id", after.Id),
                ("@version", after.Version),
                ("@kind", kind.ToString()),
                ("@author", author),
                ("@at", at.ToString("O", CultureInfo.InvariantCulture)),
                ("@atMs", at.ToUnixTimeMilliseconds()),
                ("@changes", KnowledgeVersioning.Serialize(EntryDiff.Between(before, after))),
                ("@document", KnowledgeVersioning.Serialize(after)),
            ]))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var pointer = Command(
            connection,
            transaction,
            """
            INSERT INTO knowledge_entries (id, version, category, status, search_text)
            VALUES (@id, @version, @category, @status, @search)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, category = excluded.category,
                                           status = excluded.status, search_text = excluded.search_text
            """,
            [
                ("@id", after.Id),
                ("@version", after.Version),
                ("@category", after.Category),
                ("@status", KnowledgeVersioning.StatusText(after.Status)),
                ("@search", KnowledgeVersioning.SearchText(after)),
            ]);
        await pointer.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next free <c>category-N</c>; skips numbers an imported or hand-named entry already holds.</summary>
    private static async Task<string> NextIdAsync(SqliteConnection connection, SqliteTransaction transaction, string category, CancellationToken cancellationToken)
    {
        while (true)
        {
            long number;
            await using (var counter = Command(
                connection,
                transaction,
                """
                INSERT INTO knowledge_counters (category, last) VALUES (@category, 1)
                ON CONFLICT (category) DO UPDATE SET last = last + 1
                RETURNING last
                """,
                [("@category", category)]))
            {
                number = Convert.ToInt64(await counter.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var id = KnowledgeVersioning.GeneratedId(category, number);
            if (await StoredVersionAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false) is null)
            {
                return id;
            }
        }
    }

    private static async Task<int?> StoredVersionAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, transaction, "SELECT version FROM knowledge_entries WHERE id = @id", [("@id", id)]);
        var value = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task<PolicyEntry?> CurrentAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var select = Command(
            connection,
            transaction,
            "SELECT v.document FROM knowledge_entries e JOIN knowledge_versions v ON v.entry_id = e.id AND v.version = e.version WHERE e.id = @id",
            [("@id", id)]);
        var value = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is string document ? KnowledgeVersioning.DeserializeEntry(document) : null;
    }

    private static async Task<IReadOnlyList<EntryRevision>> ReadRevisionsAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var revisions = new List<EntryRevision>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            revisions.Add(new EntryRevision(
                reader.GetString(0),
                reader.GetInt32(1),
                Enum.Parse<RevisionKind>(reader.GetString(2)),
                reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                KnowledgeVersioning.DeserializeChanges(reader.GetString(5)),
                KnowledgeVersioning.DeserializeEntry(reader.GetString(6))));
        }

        return revisions;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
