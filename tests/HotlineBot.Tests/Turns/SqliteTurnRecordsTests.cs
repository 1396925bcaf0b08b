using HotlineBot.Tests.Integration;
using HotlineBot.Turns;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Tests.Turns;

/// <summary>The turn records' contract on the embedded SQLite file; another instance opens the same file.</summary>
public sealed class SqliteTurnRecordsTests : TurnRecordsContractTests
{
    private readonly string _dataDirectory = TempDataDirectory.Create();

    protected override ITurnRecords OpenLog() => new SqliteTurnLog(Path.Combine(_dataDirectory, "turns.db"), NullLogger<SqliteTurnLog>.Instance);

    protected override ValueTask DisposeStorageAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDataDirectory.Delete(_dataDirectory);
        return ValueTask.CompletedTask;
    }
}
