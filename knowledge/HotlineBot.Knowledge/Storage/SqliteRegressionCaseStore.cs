using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Sqlite;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Knowledge.Storage;

/// <summary>The regression questions in a SQLite file (the knowledge store's, by default), one row per case as its JSON line.</summary>
public sealed class SqliteRegressionCaseStore(string path) : IRegressionCaseStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS regression_cases (
            id       TEXT PRIMARY KEY NOT NULL,
            document TEXT NOT NULL -- the case as one line of a cases file
        );
        """;

    private readonly SqliteDatabase _database = new(path, Schema);

    public async Task<IReadOnlyList<EvalCase>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM regression_cases ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var cases = new List<EvalCase>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cases.Add(RegressionCaseDocument.Deserialize(reader.GetString(0)));
        }

        return cases;
    }

    public async Task SaveAsync(EvalCase evalCase, CancellationToken cancellationToken = default)
    {
        RegressionCaseDocument.Validate(evalCase);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await UpsertAsync(connection, null, evalCase, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM regression_cases WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<int> SeedAsync(IEnumerable<EvalCase> cases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT EXISTS (SELECT 1 FROM regression_cases)";
            if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return 0;
            }
        }

        var seeded = 0;
        foreach (var evalCase in cases)
        {
            await UpsertAsync(connection, transaction, evalCase, cancellationToken).ConfigureAwait(false);
            seeded++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return seeded;
    }

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose() => _database.ClearPool();

    private static async Task UpsertAsync(SqliteConnection connection, SqliteTransaction? transaction, EvalCase evalCase, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO regression_cases (id, document) VALUES (@id, @document) ON CONFLICT (id) DO UPDATE SET document = excluded.document";
        command.Parameters.AddWithValue("@id", evalCase.Id);
        command.Parameters.AddWithValue("@document", RegressionCaseDocument.Serialize(evalCase));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
