using HotlineBot.Redis;
using HotlineBot.WeChat.Api;
using StackExchange.Redis;

namespace HotlineBot.WeChat.Tests.Api;

public sealed class RedisAccessTokenCacheTests(RedisServer redis) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<IDisposable> _owned = [];
    private FakeWeChatServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeWeChatServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _owned.ForEach(owned => owned.Dispose());
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_on_separate_connections_share_one_token_and_one_fetch()
    {
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var first = await ClientAsync(keys);
        var second = await ClientAsync(keys);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? first : second).SendCustomTextAsync("oUser" + i, "您好", Ct)));

        Assert.Equal(1, _fake.TokenFetches);
        Assert.Equal(10, _fake.CallsTo("/cgi-bin/message/custom/send").Count);
        Assert.All(_fake.CallsTo("/cgi-bin/message/custom/send"), call => Assert.Equal(_fake.CurrentToken, call.AccessToken));
        Assert.Equal(_fake.CurrentToken, (await first.GetAccessTokenAsync(Ct)).Value);
    }

    [Fact]
    public async Task A_token_replaced_by_one_instance_is_read_by_the_other_without_a_fetch()
    {
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var first = await ClientAsync(keys);
        var second = await ClientAsync(keys);
        await first.SendCustomTextAsync("oUser1", "一", Ct);
        _fake.ExpireCurrentToken();

        await first.SendCustomTextAsync("oUser1", "二", Ct);
        await second.SendCustomTextAsync("oUser1", "三", Ct);

        Assert.Equal(2, _fake.TokenFetches);
        Assert.Equal([0, 42001, 0, 0], _fake.CallsTo("/cgi-bin/message/custom/send").Select(call => call.ErrorCode));
    }

    [Fact]
    public async Task Invalidating_a_token_that_was_already_replaced_keeps_the_new_one()
    {
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var cache = Own(new RedisAccessTokenCache(redis.Connection, keys));
        var now = DateTimeOffset.UtcNow;
        await cache.GetOrFetchAsync("wx1", _ => Task.FromResult(AccessToken.Issued("new", now, TimeSpan.FromHours(2))), Ct);

        await cache.InvalidateAsync("wx1", "old", Ct);
        var kept = await cache.GetOrFetchAsync("wx1", _ => throw new InvalidOperationException("must not fetch"), Ct);
        await cache.InvalidateAsync("wx1", "new", Ct);
        var refetched = await cache.GetOrFetchAsync("wx1", _ => Task.FromResult(AccessToken.Issued("newer", now, TimeSpan.FromHours(2))), Ct);

        Assert.Equal("new", kept.Value);
        Assert.Equal("newer", refetched.Value);
    }

    [Fact]
    public async Task The_token_is_stored_under_the_prefix_with_its_expiry()
    {
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var client = await ClientAsync(keys);

        await client.GetAccessTokenAsync(Ct);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(keys.Key("wechat", "token", _fake.AppId));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(100), TimeSpan.FromSeconds(7200));
    }

    private async Task<WeChatApiClient> ClientAsync(RedisKeys keys)
    {
        _ = redis.Connection; // skips without a server
        var connection = Own(await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
        var http = Own(new HttpClient());
        return new WeChatApiClient(http, WeChatApiClientTests.Options(_fake), Own(new RedisAccessTokenCache(connection, keys)));
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
