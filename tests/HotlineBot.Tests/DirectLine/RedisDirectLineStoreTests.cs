using HotlineBot.BotFramework.DirectLine;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.Tests.DirectLine;
using HotlineBot.DirectLine;
using HotlineBot.Redis;
using HotlineBot.Tests.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HotlineBot.Tests.DirectLine;

/// <summary>The Direct Line store contract on a real Redis; the stores of one test share a key prefix, as instances would.</summary>
public sealed class RedisDirectLineStoreContractTests(RedisServer redis) : DirectLineStoreContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    protected override IDirectLineStore CreateStore(DirectLineOptions options, TimeProvider time) =>
        new RedisDirectLineStore(redis.Connection, _keys, Options.Create(options), time);
}

/// <summary>Two instances, each with its own connection, serving one conversation.</summary>
public sealed class RedisDirectLineStoreTests(RedisServer redis) : IAsyncDisposable
{
    private const string Conversation = "conv-1";

    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly TestClock _clock = new();
    private ConnectionMultiplexer? _otherConnection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_otherConnection is not null)
        {
            await _otherConnection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Watermark_ReadsOn_WhenThePageReconnectsToAnotherInstance()
    {
        var (first, second) = await TwoInstancesAsync();
        Assert.True(await first.OpenAsync(Conversation, Ct));
        Assert.False(await second.OpenAsync(Conversation, Ct));
        await first.AppendAsync(Conversation, Message("一"), Ct);
        var seen = (await first.ReadAsync(Conversation, null, 10, Ct))!;

        var reply = await second.AppendAsync(Conversation, Message("二"), Ct);
        var page = (await second.ReadAsync(Conversation, seen.Watermark, 10, Ct))!;

        Assert.Equal("二", Assert.Single(page.Activities).Text);
        Assert.Equal(reply!.Id, page.Watermark);
        Assert.True(await second.IsOpenAsync(Conversation, Ct));
    }

    [Fact]
    public async Task Subscriber_OnOneInstance_HearsAppendsAndTypingFromAnother()
    {
        var (first, second) = await TwoInstancesAsync();
        await first.OpenAsync(Conversation, Ct);
        using var subscription = second.Subscribe(Conversation);

        await first.AppendAsync(Conversation, Message("一"), Ct);
        await first.PublishAsync(Conversation, Activity.CreateTypingActivity(), Ct);

        Assert.Null(await subscription.Updates.ReadAsync(Ct));
        Assert.Equal(ActivityTypes.Typing, (await subscription.Updates.ReadAsync(Ct))!.Type);
        Assert.Equal("一", Assert.Single((await second.ReadAsync(Conversation, null, 10, Ct))!.Activities).Text);
    }

    [Fact]
    public async Task ConcurrentAppends_FromTwoInstances_GetConsecutiveIds_AndIncreasingTimestamps()
    {
        const int appends = 20;
        var (first, second) = await TwoInstancesAsync();
        await first.OpenAsync(Conversation, Ct);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, appends).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? first : second).AppendAsync(Conversation, Message(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        }, Ct)).ToList();
        start.SetResult();
        var appended = await Task.WhenAll(attempts);
        var stored = (await first.ReadAsync(Conversation, null, 100, Ct))!.Activities;

        Assert.Equal(appends, stored.Count);
        Assert.Equal(appended.Select(a => a!.Id).Order(StringComparer.Ordinal), stored.Select(a => a.Id));
        Assert.Equal(Enumerable.Range(0, appends).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), stored.Select(a => a.Text).Order(StringComparer.Ordinal));
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.True(pair.First.Timestamp < pair.Second.Timestamp));
    }

    [Fact]
    public async Task ConversationKeys_ExpireInRedis_AfterTheIdleTimeout()
    {
        var options = new DirectLineOptions { TokenLifetime = TimeSpan.FromMinutes(60), IdleMargin = TimeSpan.FromMinutes(10) };
        var store = new RedisDirectLineStore(redis.Connection, _keys, Options.Create(options), _clock);
        await store.OpenAsync(Conversation, Ct);
        await store.AppendAsync(Conversation, Message("一"), Ct);

        var database = redis.Connection.GetDatabase();
        foreach (var part in new[] { "meta", "log" })
        {
            var ttl = await database.KeyTimeToLiveAsync(_keys.Key("directline", Conversation, part));
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(69), TimeSpan.FromMinutes(70));
        }
    }

    [Fact]
    public async Task HasRoom_AgainOnceIdleConversationsExpire()
    {
        var store = Store(new DirectLineOptions { MaxConversations = 2 }, redis.Connection);
        await store.OpenAsync("conv-a", Ct);
        await store.OpenAsync("conv-b", Ct);
        Assert.False(await store.HasRoomAsync(Ct));

        _clock.Advance(new DirectLineOptions().IdleTimeout + TimeSpan.FromSeconds(1));

        Assert.True(await store.HasRoomAsync(Ct));
    }

    private async Task<(IDirectLineStore First, IDirectLineStore Second)> TwoInstancesAsync()
    {
        _otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        return (Store(new DirectLineOptions(), redis.Connection), Store(new DirectLineOptions(), _otherConnection));
    }

    private RedisDirectLineStore Store(DirectLineOptions options, IConnectionMultiplexer connection) =>
        new(connection, _keys, Options.Create(options), _clock);

    private static Activity Message(string text) => Activity.CreateMessageActivity(text);
}

/// <summary>Confirmed activities survive a redis-server crash and restart.</summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisDirectLineStoreRestartTests(RedisServer redis)
{
    [Fact]
    public async Task Activities_AndTheWatermark_SurviveARestart()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var clock = new TestClock();
        var before = new RedisDirectLineStore(redis.Connection, keys, Options.Create(new DirectLineOptions()), clock);
        await before.OpenAsync("conv-1", cancellation);
        await before.AppendAsync("conv-1", Activity.CreateMessageActivity("一"), cancellation);
        var watermark = (await before.ReadAsync("conv-1", null, 10, cancellation))!.Watermark;

        await using var reconnected = await RedisRestarts.RestartAndReconnectAsync(redis);
        var after = new RedisDirectLineStore(reconnected, keys, Options.Create(new DirectLineOptions()), clock);
        await after.AppendAsync("conv-1", Activity.CreateMessageActivity("二"), cancellation);

        Assert.Equal(["一", "二"], (await after.ReadAsync("conv-1", null, 10, cancellation))!.Activities.Select(a => a.Text));
        Assert.Equal("二", Assert.Single((await after.ReadAsync("conv-1", watermark, 10, cancellation))!.Activities).Text);
    }
}
