[assembly: AssemblyFixture(typeof(RedisServer))]

namespace HotlineBot.Redis.Tests;

public sealed class RedisKeysTests(RedisServer redis)
{
    [Fact]
    public void KeysCarryThePrefix()
    {
        Assert.Equal("hotline:cases:12351-1", new RedisKeys().Key("cases", "12351-1"));
        Assert.Equal("city-b:state", new RedisKeys("city-b:").Key("state"));
    }

    [Fact]
    public async Task TwoPrefixesOnOneServerNeverSeeEachOthersKeys()
    {
        var database = redis.Connection.GetDatabase();
        var first = new RedisKeys(RedisServer.NewPrefix());
        var second = new RedisKeys(RedisServer.NewPrefix());
        await database.StringSetAsync(first.Key("state", "a"), "one");
        await database.StringSetAsync(second.Key("state", "a"), "two");

        Assert.Equal("one", (string?)await database.StringGetAsync(first.Key("state", "a")));
        Assert.Equal("two", (string?)await database.StringGetAsync(second.Key("state", "a")));
    }
}
