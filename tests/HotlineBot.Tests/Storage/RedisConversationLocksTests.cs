using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Tests.Builder;
using HotlineBot.Redis;
using HotlineBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace HotlineBot.Tests.Storage;

/// <summary>The conversation lock contract on a real Redis, each "instance" on a connection of its own.</summary>
public sealed class RedisConversationLocksTests(RedisServer redis) : ConversationLocksContractTests, IAsyncDisposable
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

    [Fact]
    public async Task LockOfAnInstanceThatDied_EndsWithItsLease()
    {
        var died = new RedisConversationLocks(redis.Connection, _keys, NullLogger<RedisConversationLocks>.Instance, TimeSpan.FromMinutes(5), lease: TimeSpan.FromMilliseconds(300));
        _ = await died.AcquireAsync("webchat/c9", Ct); // never released

        var next = await Instance(TimeSpan.FromMinutes(5)).AcquireAsync("webchat/c9", Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await next.DisposeAsync();
    }

    protected override IConversationLocks Instance(TimeSpan wait)
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = ConnectionMultiplexer.Connect(redis.Configuration);
        _connections.Add(connection);
        return new RedisConversationLocks(connection, _keys, NullLogger<RedisConversationLocks>.Instance, wait);
    }
}
