using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Turns;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Tests.Turns;

public sealed class SqliteTurnLogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", Guid.NewGuid().ToString("N"));

    private string File => Path.Combine(_directory, "turns.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static TurnRecord Record(int i, string kind = "answer") =>
        new(DateTimeOffset.UtcNow, "conv-" + i, "user-hash", "问题 " + i, kind) { EntryId = "overtime-pay-rates", Confidence = 0.5, Reason = "answer" };

    [Fact]
    public async Task RecordAsync_KeepsEveryRecord_WhenManyTurnsWriteAtOnce()
    {
        await using var log = new SqliteTurnLog(File, NullLogger<SqliteTurnLog>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => log.RecordAsync(Record(i), TestContext.Current.CancellationToken))));
        await log.FlushAsync(TestContext.Current.CancellationToken);

        var recent = await log.RecentAsync(1000, TestContext.Current.CancellationToken);
        Assert.Equal(500, recent.Count);
        Assert.Equal(500, recent.Select(r => r.ConversationId).Distinct().Count());
    }

    [Fact]
    public async Task Dispose_FlushesTheQueue_SoANewLogOnTheSameFileSeesEverything()
    {
        await using (var log = new SqliteTurnLog(File, NullLogger<SqliteTurnLog>.Instance))
        {
            for (var i = 0; i < 20; i++)
            {
                await log.RecordAsync(Record(i, i % 2 == 0 ? "answer" : "fallback"), TestContext.Current.CancellationToken);
            }
        }

        await using var reopened = new SqliteTurnLog(File, NullLogger<SqliteTurnLog>.Instance);
        var recent = await reopened.RecentAsync(100, TestContext.Current.CancellationToken);
        Assert.Equal(20, recent.Count);
        Assert.Equal(10, recent.Count(r => r.Kind == "fallback"));
        Assert.All(recent, r => Assert.Equal("overtime-pay-rates", r.EntryId));
    }

    [Fact]
    public async Task SinceAsync_GivesTheTurnsFromThatTime_InRecordedOrder_WithRowIds()
    {
        var start = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(8));
        await using var log = new SqliteTurnLog(File, NullLogger<SqliteTurnLog>.Instance);
        for (var i = 0; i < 5; i++)
        {
            await log.RecordAsync(Record(i) with { Timestamp = start.AddDays(i) }, TestContext.Current.CancellationToken);
        }

        await log.FlushAsync(TestContext.Current.CancellationToken);

        var since = await log.SinceAsync(start.AddDays(2), TestContext.Current.CancellationToken);
        Assert.Equal(["conv-2", "conv-3", "conv-4"], since.Select(t => t.Record.ConversationId));
        Assert.Equal(since.Select(t => t.Id).Order(), since.Select(t => t.Id));
        Assert.Equal(start.AddDays(2), since[0].Record.Timestamp);
        Assert.Equal(Path.GetFullPath(File), log.FilePath);
    }
}
