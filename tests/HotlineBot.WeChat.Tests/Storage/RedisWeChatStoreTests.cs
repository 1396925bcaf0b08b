using HotlineBot.Redis;
using HotlineBot.WeChat.Storage;
using StackExchange.Redis;

namespace HotlineBot.WeChat.Tests.Storage;

/// <summary>
/// The push log contract on a real Redis (each test under its own key prefix). Passing the retention checks that every
/// key lives no longer than it, then removes the keys as Redis does when their time runs out; the real expiry is
/// <see cref="RedisWeChatPushLogAndSendWindowTests"/>' business.
/// </summary>
public sealed class RedisWeChatPushLogContractTests(RedisServer redis) : WeChatPushLogContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    protected override IWeChatPushLog Open() => new RedisWeChatPushLog(redis.Connection, _keys);

    protected override async Task PassRetentionAsync()
    {
        var database = redis.Connection.GetDatabase();
        var keys = await RedisWeChatPushLogAndSendWindowTests.KeysAsync(redis, _keys);
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.InRange(ttl.GetValueOrDefault(), TimeSpan.FromTicks(1), IWeChatPushLog.Retention);
        }

        await database.KeyDeleteAsync(keys);
    }
}

/// <summary>The send window contract on a real Redis (each test under its own key prefix).</summary>
public sealed class RedisWeChatSendWindowContractTests(RedisServer redis) : WeChatSendWindowContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    protected override IWeChatSendWindow Open() => new RedisWeChatSendWindow(redis.Connection, _keys);
}

public sealed class RedisWeChatPushLogAndSendWindowTests(RedisServer redis)
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every key under the test's prefix.</summary>
    internal static async Task<RedisKey[]> KeysAsync(RedisServer redis, RedisKeys keys)
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var found = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: keys.Prefix + "*"))
        {
            found.Add(key);
        }

        return [.. found];
    }

    [Fact]
    public async Task A_claim_is_forgotten_when_its_key_expires_in_Redis()
    {
        var log = new RedisWeChatPushLog(redis.Connection, _keys, retention: TimeSpan.FromMilliseconds(300));
        await log.ClaimAsync("msg:1", Ct);
        await log.CompleteAsync("msg:1", "好的", Ct);

        while ((await KeysAsync(redis, _keys)).Length > 0)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(new PushClaim(true, null), await log.ClaimAsync("msg:1", Ct));
    }

    [Fact]
    public async Task Two_instances_on_separate_connections_claim_a_push_once_and_share_its_reply()
    {
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var first = new RedisWeChatPushLog(redis.Connection, _keys);
        var second = new RedisWeChatPushLog(otherConnection, _keys);

        var claims = await Task.WhenAll(first.ClaimAsync("msg:9", Ct), second.ClaimAsync("msg:9", Ct));
        await (claims[0].First ? first : second).CompleteAsync("msg:9", "稍等，正在为你转接。", Ct);

        Assert.Single(claims, claim => claim.First);
        Assert.Equal(new PushClaim(false, "稍等，正在为你转接。"), await second.ClaimAsync("msg:9", Ct));
        Assert.Equal(["msg:9"], (await KeysAsync(redis, _keys)).Select(key => ((string)key!)[(_keys.Prefix + "wechat:push:").Length..]));
    }

    [Fact]
    public async Task A_send_window_expires_with_its_48_hours()
    {
        var window = new RedisWeChatSendWindow(redis.Connection, _keys);
        await window.OpenAsync("oUser", WeChatTrigger.Interaction, DateTimeOffset.UtcNow, Ct);
        var key = (await KeysAsync(redis, _keys)).Single();
        var afterInteraction = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(key);

        await window.OpenAsync("oUser", WeChatTrigger.Message, DateTimeOffset.UtcNow, Ct);
        var afterMessage = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(key);

        Assert.InRange(afterInteraction.GetValueOrDefault(), TimeSpan.FromTicks(1), WeChatQuota.InteractionWindow);
        Assert.InRange(afterMessage.GetValueOrDefault(), WeChatQuota.InteractionWindow, WeChatQuota.MessageWindow);
        Assert.Equal(_keys.Key("wechat", "send", "oUser"), (string)key!);
    }
}
