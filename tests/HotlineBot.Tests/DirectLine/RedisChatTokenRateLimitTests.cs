using System.Net;
using System.Threading.RateLimiting;
using HotlineBot.DirectLine;
using HotlineBot.Redis;
using HotlineBot.Storage;
using HotlineBot.Tests.Integration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HotlineBot.Tests.DirectLine;

/// <summary>Scaled out, the chat token limit is counted in the shared Redis, so instances enforce it together.</summary>
public sealed class RedisChatTokenRateLimitTests(RedisServer redis) : IAsyncDisposable
{
    private const string Client = "203.0.113.7";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<string> _dataDirectories = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        foreach (var dataDirectory in _dataDirectories)
        {
            TempDataDirectory.Delete(dataDirectory);
        }
    }

    [Fact]
    public async Task Acquire_PermitsUpToTheLimit_ThenRefusesWithRetryAfterWithinTheWindow()
    {
        var limiter = Limiter(redis.Connection, Client, 5, Minute);
        await AwayFromWindowEndAsync(Minute);

        Assert.Equal(5, await CountPermittedAsync(limiter, 5));
        using var refused = await limiter.AcquireAsync(1, Ct);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), Minute);
    }

    [Fact]
    public async Task Acquire_OnTwoInstancesWithTheirOwnConnections_SharesOneCount()
    {
        var first = Limiter(redis.Connection, Client, 5, Minute);
        var second = Limiter(await ConnectAsync(), Client, 5, Minute);
        await AwayFromWindowEndAsync(Minute);

        var permitted = await CountPermittedAsync(first, 3) + await CountPermittedAsync(second, 3);

        Assert.Equal(5, permitted);
    }

    [Fact]
    public async Task Acquire_CountsClientsApart()
    {
        var limiter = Limiter(redis.Connection, Client, 2, Minute);
        await AwayFromWindowEndAsync(Minute);
        Assert.Equal(2, await CountPermittedAsync(limiter, 3));

        var other = Limiter(redis.Connection, "2001:db8:1:2::/64", 2, Minute);

        Assert.Equal(2, await CountPermittedAsync(other, 3));
    }

    [Fact]
    public async Task Acquire_PermitsAgain_InTheNextWindow()
    {
        var limiter = Limiter(redis.Connection, Client, 2, TimeSpan.FromSeconds(1));

        // Use up whichever window this is; then poll: the refusal ends when that window does.
        var lease = await limiter.AcquireAsync(1, Ct);
        while (lease.IsAcquired)
        {
            lease.Dispose();
            lease = await limiter.AcquireAsync(1, Ct);
        }

        while (!lease.IsAcquired)
        {
            Assert.True(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
            lease.Dispose();
            await Task.Delay(retryAfter, Ct);
            lease = await limiter.AcquireAsync(1, Ct);
        }

        lease.Dispose();
    }

    [Fact]
    public async Task AttemptAcquire_LeavesTheDecisionToAcquireAsync_WithoutCounting()
    {
        var limiter = Limiter(redis.Connection, Client, 1, Minute);

        using (var attempt = limiter.AttemptAcquire(1))
        {
            Assert.False(attempt.IsAcquired);
            Assert.False(attempt.TryGetMetadata(MetadataName.RetryAfter, out _));
        }

        using var lease = await limiter.AcquireAsync(1, Ct);
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public async Task Acquire_Throws_WhenRedisIsOutOfReach()
    {
        var unreachable = await RedisServer.ConnectUnreachableAsync();
        _owned.Add(unreachable);
        var limiter = Limiter(unreachable, Client, 5, Minute);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => (await limiter.AcquireAsync(1, Ct)).Dispose());

        Assert.True(RedisOutage.Is(error), error.ToString());
    }

    [Fact]
    public async Task Policy_WithSharedRedis_LimitsAClientAcrossInstances()
    {
        // Two instances, each with its own connection and the hotline's key prefix; one client behind a load balancer.
        var first = Policy(ConnectHotline(), 10);
        var second = Policy(ConnectHotline(), 10);
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8:5:6::10");
        var other = new DefaultHttpContext();
        other.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8:5:6::20");

        var permitted = await CountPermittedAsync(Limiter(first, http), 6) + await CountPermittedAsync(Limiter(second, other), 6);

        Assert.Equal(10, permitted);
    }

    [Fact]
    public async Task ChatToken_OnTwoHostsSharingRedis_AnswersTheLimitOnceBetweenThem_Then429()
    {
        const int TokensPerMinute = 10;
        _ = redis.Connection;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.Configuration,
            ["Hotline:Redis:Prefix"] = _keys.Prefix,
            ["Hotline:DirectLine:TokensPerMinute"] = TokensPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var first = await StartHostAsync(settings);
        await using var second = await StartHostAsync(settings);
        await AwayFromWindowEndAsync(Minute);

        // One client behind a load balancer that sends its requests to either instance in turn.
        var granted = 0;
        HttpResponseMessage refused;
        while (true)
        {
            var response = await (granted % 2 == 0 ? first : second).Client.PostAsync(new Uri(ChatTokenApi.Path, UriKind.Relative), null, Ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                refused = response;
                break;
            }

            response.Dispose();
            granted++;
            Assert.True(granted <= 2 * TokensPerMinute, "the instances do not share the limit");
        }

        using (refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), Minute);
        }

        Assert.Equal(TokensPerMinute, granted);
    }

    /// <summary>Waits out the last seconds of a window, so that a test's few requests all fall in one window.</summary>
    private static async Task AwayFromWindowEndAsync(TimeSpan window)
    {
        var length = (long)window.TotalMilliseconds;
        var left = length - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % length);
        if (left < 5_000)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(left + 50), Ct);
        }
    }

    /// <summary>A host on its own data directory, deleted after the test (when the host is gone).</summary>
    private async Task<HotlineHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var dataDirectory = TempDataDirectory.Create();
        _dataDirectories.Add(dataDirectory);
        return await HotlineHost.StartAsync(dataDirectory, settings, Ct);
    }

    private static async Task<int> CountPermittedAsync(RateLimiter limiter, int requests)
    {
        var permitted = 0;
        for (var i = 0; i < requests; i++)
        {
            using var lease = await limiter.AcquireAsync(1, Ct);
            permitted += lease.IsAcquired ? 1 : 0;
        }

        return permitted;
    }

    private RedisFixedWindowLimiter Limiter(ConnectionMultiplexer connection, string client, int permitLimit, TimeSpan window) =>
        Track(new RedisFixedWindowLimiter(connection.GetDatabase(), _keys.Key("ratelimit", "chat-token", client), permitLimit, window));

    private RedisFixedWindowLimiter Limiter(ChatTokenRateLimit policy, HttpContext http)
    {
        var partition = policy.GetPartition(http);
        return Track(Assert.IsType<RedisFixedWindowLimiter>(partition.Factory(partition.PartitionKey)));
    }

    private T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        _ = redis.Connection; // skips when there is no server
        return Track(await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
    }

    private HotlineRedis ConnectHotline()
    {
        _ = redis.Connection;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + RedisOptions.ConnectionStringName] = redis.Configuration,
            [RedisOptions.Section + ":Prefix"] = _keys.Prefix,
        }).Build();
        var hotline = HotlineRedis.Connect(configuration, NullLogger.Instance);
        _owned.Add(new DisposeOnly(hotline));
        return hotline;
    }

    private static ChatTokenRateLimit Policy(HotlineRedis hotline, int tokensPerMinute) =>
        new(Options.Create(new ChatTokenOptions { TokensPerMinute = tokensPerMinute }), hotline);

    private sealed class DisposeOnly(IDisposable disposable) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposable.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
