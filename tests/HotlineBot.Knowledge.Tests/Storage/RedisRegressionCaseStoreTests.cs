using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Storage;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Knowledge.Tests.Storage;

/// <summary>The regression questions in a real redis-server.</summary>
public sealed class RedisRegressionCaseStoreTests(RedisServer redis) : IAsyncDisposable
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<ConnectionMultiplexer> _connections = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Save_List_AndDelete_KeepCasesInIdOrder()
    {
        var store = new RedisRegressionCaseStore(redis.Connection, _keys);
        await store.SaveAsync(Case("r-2", "拖欠工资怎么办"), Ct);
        await store.SaveAsync(Case("r-1", "加班费怎么算"), Ct);
        await store.SaveAsync(Case("r-2", "老板不发工资怎么办"), Ct);

        Assert.Equal([("r-1", "加班费怎么算"), ("r-2", "老板不发工资怎么办")], (await store.ListAsync(Ct)).Select(c => (c.Id, c.Question)));
        Assert.True(await store.DeleteAsync("r-1", Ct));
        Assert.False(await store.DeleteAsync("r-1", Ct));
        Assert.Equal(["r-2"], (await store.ListAsync(Ct)).Select(c => c.Id));
    }

    [Fact]
    public async Task TwoInstances_SeedingAtOnce_SeedOnce_AndNeverOverASavedCase()
    {
        var cases = EvalCaseReader.Read(TestSeeds.RegressionFile);
        var stores = new[] { await NewInstanceAsync(), await NewInstanceAsync() };

        var seeded = await Task.WhenAll(stores.Select(s => Task.Run(() => s.SeedAsync(cases, Ct), Ct)));
        var again = await stores[0].SeedAsync([Case("extra", "再来一次")], Ct);

        Assert.Equal([0, cases.Select(c => c.Id).Distinct().Count()], seeded.Order());
        Assert.Equal(0, again);
        Assert.Equal(cases.Select(c => c.Id).Distinct().Order(StringComparer.Ordinal), (await stores[1].ListAsync(Ct)).Select(c => c.Id));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<RedisRegressionCaseStore> NewInstanceAsync()
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _connections.Add(connection);
        return new RedisRegressionCaseStore(connection, _keys);
    }

    private static EvalCase Case(string id, string question) => new(id, "wages", "answer", question, [["工资"]]);
}
