using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Storage;
using HotlineBot.Redis;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisServer))]

namespace HotlineBot.Knowledge.Tests.Storage;

/// <summary>The shared knowledge-store contract, on a real redis-server (each test under its own key prefix).</summary>
public sealed class RedisKnowledgeStoreContractTests(RedisServer redis) : KnowledgeStoreContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    protected override IKnowledgeStore CreateStore(TimeProvider clock) => new RedisKnowledgeStore(redis.Connection, _keys, clock);
}

/// <summary>What only the Redis store promises: race-correct across processes (each "process" its own connection) and durable across a server restart.</summary>
public sealed class RedisKnowledgeStoreTests(RedisServer redis) : IAsyncDisposable
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));
    private readonly List<ConnectionMultiplexer> _connections = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstances_RacingAnUpdateFromOneVersion_ExactlyOneWins()
    {
        var stores = new[] { await NewInstanceAsync(), await NewInstanceAsync() };
        var created = await stores[0].CreateAsync(Entry("overtime"), "admin-li", Ct);
        const int writers = 10;

        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            try
            {
                await stores[i % 2].UpdateAsync(created with { Answer = $"答案 {i}" }, created.Version, $"admin-{i}", Ct);
                return $"答案 {i}";
            }
            catch (KnowledgeConcurrencyException)
            {
                return null;
            }
        }, Ct));
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r is not null);
        foreach (var store in stores)
        {
            var read = await store.GetAsync("overtime", Ct);
            Assert.Equal(2, read!.Version);
            Assert.Equal(winner, read.Answer);
            Assert.Equal([1, 2], (await store.HistoryAsync("overtime", Ct)).Select(r => r.Version));
        }

        Assert.Equal(2, (await stores[1].AuditAsync(new AuditQuery(), Ct)).Total);
    }

    [Fact]
    public async Task TwoInstances_GeneratingIdsAtOnce_NeverShareOne()
    {
        var stores = new[] { await NewInstanceAsync(), await NewInstanceAsync() };

        var created = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => stores[i % 2].CreateAsync(Entry(""), "admin-li", Ct), Ct)));

        Assert.Equal(12, created.Select(e => e.Id).Distinct().Count());
        Assert.Equal(12, (await stores[0].ListAsync(new KnowledgeQuery { Category = "wages" }, Ct)).Total);
    }

    [Fact]
    public async Task TwoInstances_SeedingAtOnce_SeedTheStoreOnce()
    {
        var seeds = SeedLoader.LoadEntries(TestSeeds.Directory);
        var stores = new[] { await NewInstanceAsync(), await NewInstanceAsync() };

        var seeded = await Task.WhenAll(stores.Select(s => Task.Run(() => s.SeedAsync(seeds, "seeds", Ct), Ct)));

        Assert.Equal([0, seeds.Count], seeded.Order());
        Assert.Equal(seeds.Count, (await stores[0].AuditAsync(new AuditQuery(), Ct)).Total);
        Assert.Equal(seeds.Count, (await stores[1].ListAsync(new KnowledgeQuery(), Ct)).Total);
        Assert.Single(await stores[1].HistoryAsync(seeds[0].Id, Ct));
    }

    [Fact]
    public async Task StoredVersions_AreNeverRewritten()
    {
        var store = await NewInstanceAsync();
        var created = await store.CreateAsync(Entry("overtime"), "admin-li", Ct);
        var versions = _keys.Key("knowledge", "versions", "overtime");
        var first = await redis.Connection.GetDatabase().HashGetAsync(versions, 1);

        await store.UpdateAsync(created with { Answer = "第二版" }, 1, "admin-wang", Ct);
        await store.RetireAsync("overtime", null, "admin-wang", Ct);

        Assert.Equal(first, await redis.Connection.GetDatabase().HashGetAsync(versions, 1));
        Assert.Equal(created.Answer, (await store.HistoryAsync("overtime", Ct))[0].Entry.Answer);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A store on a connection of its own, as another instance of the hotline would have.</summary>
    private async Task<RedisKnowledgeStore> NewInstanceAsync()
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _connections.Add(connection);
        return new RedisKnowledgeStore(connection, _keys, _clock);
    }

    internal static PolicyEntry Entry(string id) => new()
    {
        Id = id,
        Question = "周末加班工资怎么算？",
        Answer = "按不低于工资的200%支付。",
        Category = "wages",
        EffectiveFrom = new DateOnly(2026, 11, 24),
        ReviewBy = new DateOnly(2027, 11, 24),
    };
}

/// <summary>Tests that restart the shared redis-server: they run alone, after the others.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RedisRestarts;

/// <summary>Confirmed writes survive a redis-server crash and restart (append-only file, fsync on every write).</summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisKnowledgeStoreRestartTests(RedisServer redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_Versions_Counters_AndRegressionCases_SurviveARestart()
    {
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var store = new RedisKnowledgeStore(redis.Connection, keys);
        var cases = new RedisRegressionCaseStore(redis.Connection, keys);
        var created = await store.CreateAsync(RedisKnowledgeStoreTests.Entry(""), "admin-li", Ct);
        await store.UpdateAsync(created with { Answer = "第二版" }, 1, "admin-wang", Ct);
        await cases.SaveAsync(new EvalCase("r-1", "wages", "answer", "加班费怎么算", [["200%"]]), Ct);

        await redis.RestartAsync(TimeSpan.FromMilliseconds(200));

        var read = await RedisRetry.UntilReconnectedAsync(() => store.GetAsync(created.Id, Ct));
        Assert.Equal(2, read!.Version);
        Assert.Equal("第二版", read.Answer);
        Assert.Equal([1, 2], (await store.HistoryAsync(created.Id, Ct)).Select(r => r.Version));
        Assert.Equal("wages-2", (await store.CreateAsync(RedisKnowledgeStoreTests.Entry(""), "admin-li", Ct)).Id);
        Assert.Equal(2, (await store.ListAsync(new KnowledgeQuery { Category = "wages" }, Ct)).Total);
        Assert.Equal("加班费怎么算", Assert.Single(await cases.ListAsync(Ct)).Question);
    }
}

/// <summary>Waits out the reconnection after a restart.</summary>
internal static class RedisRetry
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilReconnectedAsync<T>(Func<Task<T>> read)
    {
        var giveUp = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await read();
            }
            catch (RedisException) when (DateTimeOffset.UtcNow < giveUp)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }
}
