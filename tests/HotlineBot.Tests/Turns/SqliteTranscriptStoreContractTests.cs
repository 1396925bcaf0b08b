using HotlineBot.BotFramework.Builder;
using HotlineBot.Tests.Integration;
using HotlineBot.Turns;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Tests.Turns;

/// <summary>The transcript store's contract on the embedded SQLite file under a fresh data directory.</summary>
public sealed class SqliteTranscriptStoreContractTests : TranscriptStoreContractTests
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private readonly List<SqliteTranscriptStore> _opened = [];

    protected override ITranscriptStore Open()
    {
        var store = new SqliteTranscriptStore(Path.Combine(_dataDirectory, "transcripts.db"), NullLogger<SqliteTranscriptStore>.Instance);
        _opened.Add(store);
        return store;
    }

    protected override async ValueTask DisposeStorageAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDataDirectory.Delete(_dataDirectory);
    }
}
