using HotlineBot.Redis;
using HotlineBot.Turns;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace HotlineBot.Tests.Turns;

/// <summary>
/// The turn records' contract on a real Redis (another instance has its own connection and the same prefix),
/// and what only the stream does: old turns are trimmed, and recording never fails while Redis is away.
/// </summary>
public sealed class RedisTurnLogTests(RedisServer redis) : TurnRecordsContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override ITurnRecords OpenLog() => new RedisTurnLog(Connect(), _keys, NullLogger<RedisTurnLog>.Instance);

    protected override async ValueTask DisposeStorageAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Turns_OlderThanTheRetention_AreTrimmed_TheRecentOnesKept()
    {
        await using var log = new RedisTurnLog(redis.Connection, _keys, NullLogger<RedisTurnLog>.Instance, retention: TimeSpan.FromDays(1));
        var old = DateTimeOffset.UtcNow.AddDays(-3);
        for (var i = 0; i < 500; i++)
        {
            await log.RecordAsync(Turn(i, old.AddSeconds(i)), Cancellation);
        }

        await log.FlushAsync(Cancellation);
        var recent = Enumerable.Range(1000, 5).Select(i => Turn(i, DateTimeOffset.UtcNow.AddMinutes(i - 1010))).ToList();
        foreach (var turn in recent)
        {
            await log.RecordAsync(turn, Cancellation);
        }

        await log.FlushAsync(Cancellation);

        var kept = await log.SinceAsync(DateTimeOffset.MinValue, Cancellation);
        Assert.Equal(recent, kept.TakeLast(5).Select(t => t.Record));
        Assert.True(kept.Count < 505, $"{kept.Count - 5} of 500 turns older than the retention are still kept");
        Assert.True(await redis.Connection.GetDatabase().StreamLengthAsync(_keys.Key("turns")) < 505);
    }

    [Fact]
    public async Task TheStream_IsCapped_KeepingTheNewestTurns()
    {
        await using var log = new RedisTurnLog(redis.Connection, _keys, NullLogger<RedisTurnLog>.Instance, maxLength: 100);
        var turns = Enumerable.Range(0, 1000).Select(i => Turn(i, Start.AddSeconds(i))).ToList();
        foreach (var turn in turns)
        {
            await log.RecordAsync(turn, Cancellation);
        }

        await log.FlushAsync(Cancellation);

        var kept = await log.SinceAsync(Start, Cancellation);
        Assert.InRange(kept.Count, 100, 999);
        Assert.Equal(turns.TakeLast(kept.Count), kept.Select(t => t.Record));
    }

    [Fact]
    public async Task Recording_NeverFailsATurn_WhileRedisIsOutOfReach_TheTurnsAreDropped()
    {
        await using var unreachable = await RedisServer.ConnectUnreachableAsync();
        await using var log = new RedisTurnLog(unreachable, _keys, NullLogger<RedisTurnLog>.Instance);

        var recorded = log.RecordAsync(Turn(1, Start), Cancellation);
        Assert.True(recorded.IsCompletedSuccessfully);
        await log.FlushAsync(Cancellation);

        await using var healthy = new RedisTurnLog(redis.Connection, _keys, NullLogger<RedisTurnLog>.Instance);
        Assert.Empty(await healthy.SinceAsync(DateTimeOffset.MinValue, Cancellation));
    }

    private ConnectionMultiplexer Connect()
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = ConnectionMultiplexer.Connect(redis.Configuration);
        _connections.Add(connection);
        return connection;
    }
}
