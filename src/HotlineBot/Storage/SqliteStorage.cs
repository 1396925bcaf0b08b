using System.Text.Json;
using HotlineBot.BotFramework.State;
using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Storage;

/// <summary>
/// Bot state in one SQLite file (the embedded default): one table of key, JSON value and ETag, in
/// WAL mode so readers never wait for the writer. The ETag check and the write are one SQL
/// statement (<c>UPDATE ... WHERE etag = @etag</c>) inside an immediate transaction, so of several
/// writers that read the same ETag, in this process or another, exactly one wins. Thread-safe:
/// every call uses its own (pooled) connection.
/// </summary>
public sealed class SqliteStorage : IStorage, IDisposable
{
    /// <summary>SQLite's default limit on the parameters of one statement is 999 (older builds).</summary>
    private const int KeysPerStatement = 500;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS bot_state (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL,
            etag  TEXT NOT NULL
        );
        """;

    private readonly SqliteDatabase _database;

    /// <param name="path">The database file; it and its directory are created on first use.</param>
    public SqliteStorage(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _database = new SqliteDatabase(FilePath, Schema);
    }

    public string FilePath { get; }

    public async Task<IDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(KeysPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT key, value, etag FROM bot_state WHERE key IN ({KeyParameters(command, chunk)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                using var document = JsonDocument.Parse(reader.GetString(1));
                found[reader.GetString(0)] = new StoreItem(document.RootElement.Clone(), reader.GetString(2));
            }
        }

        return found;
    }

    public async Task WriteAsync(IDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        var written = new List<KeyValuePair<string, StoreItem>>(changes.Count);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Immediate: the write lock is taken at BEGIN, so no reader snapshot can go stale under it.
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (key, item) in changes)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(changes));
            var eTag = Guid.NewGuid().ToString("n");
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = item.OverwritesAny
                ? """
                  INSERT INTO bot_state (key, value, etag) VALUES (@key, @value, @newEtag)
                  ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag
                  """
                : "UPDATE bot_state SET value = @value, etag = @newEtag WHERE key = @key AND etag = @etag";
            command.Parameters.AddWithValue("@key", key);
            command.Parameters.AddWithValue("@value", item.Value.GetRawText());
            command.Parameters.AddWithValue("@newEtag", eTag);
            if (!item.OverwritesAny)
            {
                command.Parameters.AddWithValue("@etag", item.ETag);
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                // Disposing the transaction rolls back whatever this call wrote before.
                throw new StorageConcurrencyException($"The item '{key}' changed since it was read (ETag {item.ETag}).");
            }

            written.Add(new(key, item with { ETag = eTag }));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, item) in written)
        {
            changes[key] = item;
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(KeysPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM bot_state WHERE key IN ({KeyParameters(command, chunk)})";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the pooled connections to the file (so it can be moved or deleted).</summary>
    public void Dispose()
    {
        _database.ClearPool();
    }

    private static string KeyParameters(SqliteCommand command, string[] keys)
    {
        var names = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            names[i] = "@k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(names[i], keys[i]);
        }

        return string.Join(", ", names);
    }
}
