using HotlineBot.Redis;
using HotlineBot.Tests.Integration;
using HotlineBot.Turns;
using StackExchange.Redis;

namespace HotlineBot.Tests.Turns;

/// <summary>
/// What every <see cref="IUnansweredStore"/> does, run against each implementation (SQLite, Redis): a wording's
/// latest resolution wins, and a worker is recorded as sent an entry's answer once, even when two instances
/// record it at the same moment. Each test gets fresh, empty storage.
/// </summary>
public abstract class UnansweredStoreContractTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A store on the test's storage; each call is another instance on the same data (another host process would open this).</summary>
    protected abstract IUnansweredStore Open();

    [Fact]
    public async Task LatestResolutions_KeepEachWordingsLatest_WhicheverInstanceWroteLast()
    {
        var (a, b) = (Open(), Open());
        await a.ResolveAsync(["宿舍停电了找谁", "宿舍断电找谁"], "dormitory-power", "chief", At.AddDays(3), Cancellation);
        await b.ResolveAsync(["宿舍停电了找谁"], "other-entry", "deputy", At, Cancellation);
        await b.ResolveAsync(["工伤认定要多久"], "work-injury", "deputy", At.AddHours(1), Cancellation);

        var latest = await Open().LatestResolutionsAsync(Cancellation);

        Assert.Equal(3, latest.Count);
        Assert.Equal(At.AddDays(3), latest["宿舍停电了找谁"]);
        Assert.Equal(At.AddDays(3), latest["宿舍断电找谁"]);
        Assert.Equal(At.AddHours(1), latest["工伤认定要多久"]);
        Assert.Empty(await Open().SentToAsync("dormitory-power", Cancellation));
    }

    [Fact]
    public async Task RecordSent_OncePerWorkerAndEntry_SeenByEveryInstance()
    {
        var (a, b) = (Open(), Open());

        Assert.True(await a.RecordSentAsync("work-injury", "worker-1", "webchat", "conv-1", At, Cancellation));
        Assert.False(await b.RecordSentAsync("work-injury", "worker-1", "directline", "conv-2", At.AddMinutes(5), Cancellation));
        Assert.True(await b.RecordSentAsync("work-injury", "worker-2", null, "conv-3", At, Cancellation));
        Assert.True(await b.RecordSentAsync("dormitory-power", "worker-1", "webchat", "conv-1", At, Cancellation));

        Assert.Equal(["worker-1", "worker-2"], (await a.SentToAsync("work-injury", Cancellation)).Order());
        Assert.Equal(["worker-1"], await b.SentToAsync("dormitory-power", Cancellation));
    }

    [Fact]
    public async Task RecordSent_FromTwoInstancesAtOnce_ExactlyOneRecordsEachSend()
    {
        var (a, b) = (Open(), Open());
        var workers = Enumerable.Range(0, 50).Select(i => "worker-" + i).ToList();

        var results = await Task.WhenAll(workers.SelectMany(w => new[] { a, b }.Select(store =>
            Task.Run(() => store.RecordSentAsync("work-injury", w, "webchat", "conv-" + w, At, Cancellation), Cancellation))));

        Assert.Equal(workers.Count, results.Count(sent => sent));
        Assert.Equal(workers.Order(), (await Open().SentToAsync("work-injury", Cancellation)).Order());
    }
}

/// <summary>The unanswered store's contract on the embedded SQLite file (beside the turns); other instances open the same file.</summary>
public sealed class SqliteUnansweredStoreContractTests : UnansweredStoreContractTests, IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private readonly List<SqliteUnansweredStore> _opened = [];

    public void Dispose()
    {
        _opened.ForEach(store => store.Dispose());
        TempDataDirectory.Delete(_dataDirectory);
    }

    protected override IUnansweredStore Open()
    {
        var store = new SqliteUnansweredStore(Path.Combine(_dataDirectory, "turns.db"));
        _opened.Add(store);
        return store;
    }
}

/// <summary>The unanswered store's contract on a real Redis; each instance has its own connection, all the same prefix.</summary>
public sealed class RedisUnansweredStoreTests(RedisServer redis) : UnansweredStoreContractTests, IAsyncDisposable
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<ConnectionMultiplexer> _connections = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    protected override IUnansweredStore Open()
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = ConnectionMultiplexer.Connect(redis.Configuration);
        _connections.Add(connection);
        return new RedisUnansweredStore(connection, _keys);
    }
}
