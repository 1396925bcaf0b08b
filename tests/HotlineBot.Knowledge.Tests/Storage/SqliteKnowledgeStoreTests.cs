using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Storage;
using Microsoft.Data.Sqlite;

namespace HotlineBot.Knowledge.Tests.Storage;

/// <summary>The knowledge store's file in a temporary directory.</summary>
public static class TemporaryKnowledgeDatabase
{
    public static TemporaryDatabase<SqliteKnowledgeStore> Create() => new("knowledge.db", (path, clock) => new SqliteKnowledgeStore(path, clock));
}

/// <summary>The shared knowledge-store contract, on a real SQLite file.</summary>
public sealed class SqliteKnowledgeStoreContractTests : KnowledgeStoreContractTests, IDisposable
{
    private readonly TemporaryDatabase<SqliteKnowledgeStore> _database = TemporaryKnowledgeDatabase.Create();

    protected override IKnowledgeStore CreateStore(TimeProvider clock) => _database.Open(clock);

    public void Dispose() => _database.Dispose();
}

/// <summary>What only the SQLite store promises: durability across opens and immutable version rows.</summary>
public sealed class SqliteKnowledgeStoreTests : IDisposable
{
    private readonly TemporaryDatabase<SqliteKnowledgeStore> _database = TemporaryKnowledgeDatabase.Create();
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_AndCounters_SurviveReopeningTheFile()
    {
        var first = _database.Open(_clock);
        var created = await first.CreateAsync(Entry(), "admin-li", Ct);
        first.Dispose();

        var reopened = _database.Open(_clock);
        var next = await reopened.CreateAsync(Entry(), "admin-li", Ct);

        Assert.Equal("wages-1", created.Id);
        Assert.Equal("wages-2", next.Id);
        Assert.NotNull(await reopened.GetAsync("wages-1", Ct));
    }

    [Fact]
    public async Task StoredVersions_CannotBeRewrittenOrDeleted()
    {
        var store = _database.Open(_clock);
        await store.CreateAsync(Entry(), "admin-li", Ct);

        await using var connection = new SqliteConnection($"Data Source={store.FilePath}");
        await connection.OpenAsync(Ct);
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE knowledge_versions SET author = 'someone-else'";
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM knowledge_versions";

        await Assert.ThrowsAsync<SqliteException>(() => update.ExecuteNonQueryAsync(Ct));
        await Assert.ThrowsAsync<SqliteException>(() => delete.ExecuteNonQueryAsync(Ct));
        Assert.Equal("admin-li", Assert.Single(await store.HistoryAsync("wages-1", Ct)).Author);
    }

    public void Dispose() => _database.Dispose();

    private static PolicyEntry Entry() => new()
    {
        Id = "",
        Question = "周末加班工资怎么算？",
        Answer = "按不低于工资的200%支付。",
        Category = "wages",
        EffectiveFrom = new DateOnly(2026, 11, 24),
        ReviewBy = new DateOnly(2027, 11, 24),
    };
}
