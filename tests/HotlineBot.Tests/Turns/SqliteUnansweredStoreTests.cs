using HotlineBot.Turns;

namespace HotlineBot.Tests.Turns;

public sealed class SqliteUnansweredStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly TemporaryDatabase<SqliteUnansweredStore> _database = new("turns.db", (path, _) => new SqliteUnansweredStore(path));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task LatestResolutions_GivesEachWordingsLastResolution_AcrossReopenedStores()
    {
        var store = _database.Open();
        await store.ResolveAsync(["公积金没交可以投诉吗", "公积金没交能投诉吗", "公积金没交可以投诉吗"], "social-insurance-arrears", "chief", At, Cancellation);
        await store.ResolveAsync(["公积金没交可以投诉吗"], "housing-fund", "chief", At.AddDays(2), Cancellation);

        var latest = await _database.Open().LatestResolutionsAsync(Cancellation);

        Assert.Equal(2, latest.Count);
        Assert.Equal(At.AddDays(2), latest["公积金没交可以投诉吗"]);
        Assert.Equal(At, latest["公积金没交能投诉吗"]);
    }

    [Fact]
    public async Task RecordSent_KeepsOneSendPerWorkerAndEntry()
    {
        var store = _database.Open();

        Assert.True(await store.RecordSentAsync("housing-fund", "worker-a", "webchat", "c1", At, Cancellation));
        Assert.False(await store.RecordSentAsync("housing-fund", "worker-a", "webchat", "c9", At.AddHours(1), Cancellation));
        Assert.True(await store.RecordSentAsync("other-entry", "worker-a", "webchat", "c1", At, Cancellation));
        Assert.True(await store.RecordSentAsync("housing-fund", "worker-b", null, "c2", At, Cancellation));

        var sent = await _database.Open().SentToAsync("housing-fund", Cancellation);
        Assert.Equal(["worker-a", "worker-b"], sent.Order());
        Assert.Empty(await store.SentToAsync("unknown", Cancellation));
    }
}
