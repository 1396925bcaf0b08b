using System.Globalization;
using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Accounts;

/// <summary>
/// Accounts in one SQLite file (<c>accounts.db</c> under the data directory). The username column is
/// <c>UNIQUE COLLATE NOCASE</c>, so "Admin" and "admin" are one account even when two requests race;
/// usernames are ASCII (<see cref="AccountRules"/>), where NOCASE is exact. Thread-safe: every call
/// uses its own (pooled) connection.
/// </summary>
public sealed class SqliteAccountStore : IAccountStore, IDisposable
{
    /// <summary>SQLITE_CONSTRAINT_UNIQUE.</summary>
    private const int UniqueConstraintFailed = 2067;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS accounts (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role          TEXT NOT NULL CHECK (role IN ('operator', 'admin')),
            password_hash TEXT NOT NULL,
            created       TEXT NOT NULL
        );
        """;

    private readonly SqliteDatabase _database;

    /// <param name="path">The database file; it and its directory are created on first use.</param>
    public SqliteAccountStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _database = new SqliteDatabase(FilePath, Schema);
    }

    public string FilePath { get; }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM accounts";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, username, role, password_hash, created FROM accounts WHERE username = @username";
        command.Parameters.AddWithValue("@username", username.Trim());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<Account> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var created = DateTimeOffset.UtcNow;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accounts (username, role, password_hash, created) VALUES (@username, @role, @hash, @created)
            RETURNING id
            """;
        command.Parameters.AddWithValue("@username", username.Trim());
        command.Parameters.AddWithValue("@role", role);
        command.Parameters.AddWithValue("@hash", passwordHash);
        command.Parameters.AddWithValue("@created", created.ToString("O", CultureInfo.InvariantCulture));
        try
        {
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return new Account(id, username.Trim(), role, passwordHash, created);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == UniqueConstraintFailed)
        {
            throw new DuplicateAccountException($"The username '{username.Trim()}' is taken.", e);
        }
    }

    public async Task<IReadOnlyList<Account>> ListAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, username, role, password_hash, created FROM accounts ORDER BY id LIMIT @limit OFFSET @offset";
        command.Parameters.AddWithValue("@limit", limit);
        command.Parameters.AddWithValue("@offset", offset);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(Read(reader));
        }

        return accounts;
    }

    /// <summary>Closes the pooled connections to the file (so it can be moved or deleted).</summary>
    public void Dispose()
    {
        _database.ClearPool();
    }

    private static Account Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
