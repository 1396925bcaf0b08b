using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Redis;
using HotlineBot.Turns;
using StackExchange.Redis;

namespace HotlineBot.Tests.Turns;

/// <summary>
/// The transcript store's contract on a real Redis, and what only the shared store does: a line one instance
/// logged is read at once by another (its own connection, the same prefix), in the order the lines arrived;
/// the list keeps the newest lines and expires when idle; a write fails while Redis is out of reach.
/// </summary>
public sealed class RedisTranscriptStoreTests(RedisServer redis) : TranscriptStoreContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override ITranscriptStore Open() => new RedisTranscriptStore(redis.Connection, _keys);

    protected override async ValueTask DisposeStorageAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoInstances_WritingAlternatelyToOneConversation_BothReadTheWholeTranscript()
    {
        var a = new RedisTranscriptStore(await ConnectAsync(), _keys);
        var b = new RedisTranscriptStore(await ConnectAsync(), _keys);
        var said = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            // A turn on one instance: the worker's line, then the bot's answer; the next turn goes to the other.
            var store = i % 2 == 0 ? a : b;
            var (question, answer) = ("问题" + i + "，电话13812348000", "回答" + i);
            await store.LogActivityAsync(Message("c1", RoleTypes.User, question, Start.AddSeconds(2 * i)), Cancellation);
            await store.LogActivityAsync(Message("c1", RoleTypes.Bot, answer, Start.AddSeconds((2 * i) + 1), kind: "answer"), Cancellation);
            said.AddRange([question.Replace("13812348000", "138****8000", StringComparison.Ordinal), answer]);
        }

        var readOnA = await a.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation);
        var readOnB = await b.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation);

        Assert.Equal(said, readOnA.Select(l => l.Text));
        Assert.Equal(said, readOnB.Select(l => l.Text));
        Assert.Equal(readOnA.Select(l => (l.From?.Role, l.Timestamp, l.GetHotlineMetadata()?.Kind)), readOnB.Select(l => (l.From?.Role, l.Timestamp, l.GetHotlineMetadata()?.Kind)));
    }

    [Fact]
    public async Task TheList_IsCapped_KeepingTheNewestLines()
    {
        var store = new RedisTranscriptStore(redis.Connection, _keys, maxLines: 5);
        await LogAsync(store, Enumerable.Range(0, 12).Select(i => Message("c1", RoleTypes.User, "第" + i + "句", Start.AddSeconds(i))));

        Assert.Equal(["第7句", "第8句", "第9句", "第10句", "第11句"], (await store.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation)).Select(l => l.Text));
        Assert.Equal(5, await redis.Connection.GetDatabase().ListLengthAsync(_keys.Key("transcripts", Channel, "c1")));
    }

    [Fact]
    public async Task TheList_ExpiresAfterTheIdleTime_RefreshedByEachLine()
    {
        var key = _keys.Key("transcripts", Channel, "c1");
        var database = redis.Connection.GetDatabase();
        await LogAsync(new RedisTranscriptStore(redis.Connection, _keys, idleExpiry: TimeSpan.FromHours(1)), [Message("c1", RoleTypes.User, "在吗", Start)]);
        Assert.InRange((await database.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));

        await LogAsync(Open(), [Message("c1", RoleTypes.User, "还在吗", Start.AddSeconds(1))]);

        Assert.InRange((await database.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromDays(29), RedisTranscriptStore.DefaultIdleExpiry);
    }

    [Fact]
    public async Task Logging_Fails_WhileRedisIsOutOfReach()
    {
        await using var unreachable = await RedisServer.ConnectUnreachableAsync();
        var store = new RedisTranscriptStore(unreachable, _keys);

        await Assert.ThrowsAsync<RedisConnectionException>(() => store.LogActivityAsync(Message("c1", RoleTypes.User, "在吗", Start), Cancellation));
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _connections.Add(connection);
        return connection;
    }
}
