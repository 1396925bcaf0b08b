using HotlineBot.Accounts;
using HotlineBot.Redis;
using HotlineBot.Tests.Storage;
using StackExchange.Redis;

namespace HotlineBot.Tests.Accounts;

/// <summary>The account contract on a real Redis; another instance has its own connection and the same prefix.</summary>
public sealed class RedisAccountStoreTests(RedisServer redis) : AccountStoreContractTests, IAsyncDisposable
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private ConnectionMultiplexer? _otherConnection;

    public async ValueTask DisposeAsync()
    {
        if (_otherConnection is not null)
        {
            await _otherConnection.DisposeAsync();
        }
    }

    protected override IAccountStore CreateStore() => new RedisAccountStore(redis.Connection, _keys);

    protected override IAccountStore OpenAnotherInstance()
    {
        _otherConnection ??= ConnectionMultiplexer.Connect(redis.Configuration);
        return new RedisAccountStore(_otherConnection, _keys);
    }
}

/// <summary>Confirmed accounts survive a redis-server crash and restart.</summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisAccountStoreRestartTests(RedisServer redis)
{
    [Fact]
    public async Task Accounts_AndTheIdCounter_SurviveARestart()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var created = await new RedisAccountStore(redis.Connection, keys).CreateAsync("zhou.qing", Roles.Admin, "hash", cancellation);

        await using var reconnected = await RedisRestarts.RestartAndReconnectAsync(redis);
        var after = new RedisAccountStore(reconnected, keys);

        Assert.Equal(created, await after.FindAsync("ZHOU.QING", cancellation));
        Assert.Equal(created.Id + 1, (await after.CreateAsync("li.ming", Roles.Operator, "hash", cancellation)).Id);
        Assert.Equal(["zhou.qing", "li.ming"], (await after.ListAsync(0, 10, cancellation)).Select(a => a.Username));
    }
}
