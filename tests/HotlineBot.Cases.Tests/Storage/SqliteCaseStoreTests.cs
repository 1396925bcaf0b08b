using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Storage;

namespace HotlineBot.Cases.Tests.Storage;

/// <summary>The case store's file in a temporary directory.</summary>
public static class TemporaryCaseDatabase
{
    public static TemporaryDatabase<SqliteCaseStore> Create() => new("cases.db", (path, clock) => new SqliteCaseStore(path, clock));
}

/// <summary>The shared case-store contract, on a real SQLite file.</summary>
public sealed class SqliteCaseStoreContractTests : CaseStoreContractTests, IDisposable
{
    private readonly TemporaryDatabase<SqliteCaseStore> _database = TemporaryCaseDatabase.Create();

    protected override ICaseStore CreateStore(TimeProvider clock) => _database.Open(clock);

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteCaseStoreTests : IDisposable
{
    private readonly TemporaryDatabase<SqliteCaseStore> _database = TemporaryCaseDatabase.Create();
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_ANewStoreOnTheSameFile_SeesEverything_AndKeepsCountingIds()
    {
        var machine = new CaseStateMachine(_clock);
        var before = _database.Open(_clock);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var draft = TestCases.Draft($"conv-{i}");
            machine.Open(draft, "bot");
            ids.Add((await before.CreateAsync(draft, Ct)).Id);
        }

        var claimed = (await before.GetAsync(ids[0], Ct))!;
        machine.Apply(claimed, new ClaimTransition("operator-li"), "operator-li");
        await before.UpdateAsync(claimed, Ct);
        await before.AppendTranscriptAsync(ids[0], new TranscriptLine(_clock.GetUtcNow(), TranscriptRole.Operator, "您好"), Ct);
        before.Dispose();

        var after = _database.Open(_clock);
        var reread = (await after.GetAsync(ids[0], Ct))!;
        var open = await after.ListUnfinishedAsync(Ct);
        var draftAfter = TestCases.Draft("conv-after");
        machine.Open(draftAfter, "bot");
        var next = await after.CreateAsync(draftAfter, Ct);

        Assert.Equal(CaseStatus.Claimed, reread.Status);
        Assert.Equal(2, reread.Version);
        Assert.Equal("您好", Assert.Single(reread.Transcript).Text);
        Assert.Equal(ids, open.Select(c => c.Id));
        Assert.Equal("12351-20261124-0004", next.Id);
        Assert.DoesNotContain(next.Id, ids);
    }

    [Fact]
    public async Task Create_NeverReusesANumber_EvenAfterTheCaseRowIsGone()
    {
        // The counter, not the highest stored id, decides the next number.
        var store = _database.Open(_clock);
        var first = await store.CreateAsync(TestCases.Draft(), Ct);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.FilePath}"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM case_transcript; DELETE FROM cases;";
            delete.ExecuteNonQuery();
        }

        var second = await store.CreateAsync(TestCases.Draft(), Ct);

        Assert.Equal("12351-20261124-0001", first.Id);
        Assert.Equal("12351-20261124-0002", second.Id);
    }

    [Fact]
    public async Task Store_KeepsTheFileInWalMode()
    {
        var store = _database.Open(_clock);
        await store.CreateAsync(TestCases.Draft(), Ct);

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    public void Dispose() => _database.Dispose();
}
