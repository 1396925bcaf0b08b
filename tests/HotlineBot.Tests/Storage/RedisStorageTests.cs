using System.Text.Json;
using HotlineBot.BotFramework.State;
using HotlineBot.BotFramework.Tests.State;
using HotlineBot.Redis;
using HotlineBot.Storage;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisServer))]

namespace HotlineBot.Tests.Storage;

/// <summary>The shared storage contract, on a real Redis (each test under its own key prefix).</summary>
public sealed class RedisStorageContractTests(RedisServer redis) : StorageContractTests
{
    protected override IStorage CreateStorage() => new RedisStorage(redis.Connection, new RedisKeys(RedisServer.NewPrefix()));
}

public sealed class RedisStorageTests(RedisServer redis)
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstancesOnSeparateConnections_WithTheSameETag_ExactlyOneWins()
    {
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var first = new RedisStorage(redis.Connection, _keys);
        var second = new RedisStorage(otherConnection, _keys);
        await first.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("-1")) }, Ct);
        var read = (await second.ReadAsync(["k"], Ct))["k"];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var storage = i % 2 == 0 ? first : second;
            try
            {
                await storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(JsonSerializer.SerializeToElement(i), read.ETag) }, Ct);
                return i;
            }
            catch (StorageConcurrencyException)
            {
                return -1;
            }
        }, Ct)).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o >= 0);
        Assert.Equal(winner, (await first.ReadAsync(["k"], Ct))["k"].Value.GetInt32());
    }

    [Fact]
    public async Task Keys_CarryThePrefix_SoHotlinesCanShareOneRedis()
    {
        var storage = new RedisStorage(redis.Connection, _keys);
        var neighbour = new RedisStorage(redis.Connection, new RedisKeys(RedisServer.NewPrefix()));

        await storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("1")) }, Ct);

        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync(_keys.Key("state", "k")));
        Assert.Empty(await neighbour.ReadAsync(["k"], Ct));
    }

    internal static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>Tests that restart the shared redis-server: they run alone, after the others, so no other test sees the outage.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RedisRestarts
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Crashes and restarts the server, then a new connection (another instance) once the server has loaded its append-only file.</summary>
    public static async Task<ConnectionMultiplexer> RestartAndReconnectAsync(RedisServer redis)
    {
        await redis.RestartAsync(TimeSpan.FromMilliseconds(100));
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var giveUp = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            try
            {
                // LOADING is refused until the file is read back.
                await connection.GetDatabase().PingAsync();
                return connection;
            }
            catch (RedisException) when (DateTimeOffset.UtcNow < giveUp)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }
}

/// <summary>Confirmed writes survive a redis-server crash and restart (append-only file, fsync on every write).</summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisStorageRestartTests(RedisServer redis)
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Data_SurvivesARedisRestart_WithItsETag()
    {
        var storage = new RedisStorage(redis.Connection, _keys);
        var changes = new Dictionary<string, StoreItem> { ["webchat/conversations/abc"] = new(RedisStorageTests.Json("""{"text":"工资被拖欠"}""")) };
        await storage.WriteAsync(changes, Ct);

        await using var reconnected = await RedisRestarts.RestartAndReconnectAsync(redis);
        var after = new RedisStorage(reconnected, _keys);

        var item = (await after.ReadAsync(["webchat/conversations/abc"], Ct))["webchat/conversations/abc"];
        Assert.Equal(changes["webchat/conversations/abc"].ETag, item.ETag);
        Assert.Equal("工资被拖欠", item.Value.GetProperty("text").GetString());
        await after.WriteAsync(new Dictionary<string, StoreItem> { ["webchat/conversations/abc"] = new(RedisStorageTests.Json("{}"), item.ETag) }, Ct);
        await Assert.ThrowsAsync<StorageConcurrencyException>(() =>
            after.WriteAsync(new Dictionary<string, StoreItem> { ["webchat/conversations/abc"] = new(RedisStorageTests.Json("{}"), item.ETag) }, Ct));
    }
}
