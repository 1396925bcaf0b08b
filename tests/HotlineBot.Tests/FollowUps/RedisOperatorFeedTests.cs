using System.Text.Json;
using HotlineBot.Accounts;
using HotlineBot.Cases.FollowUps;
using HotlineBot.FollowUps;
using HotlineBot.Redis;
using HotlineBot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace HotlineBot.Tests.FollowUps;

/// <summary>The feed contract on a real Redis, and what only a shared feed does: instances on their own connections share one numbering.</summary>
public sealed class RedisOperatorFeedTests(RedisServer redis) : OperatorFeedContractTests
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    protected override IOperatorFeed CreateFeed(TimeProvider time) => Open(redis.Connection, time);

    [Fact]
    public async Task TwoInstances_SeeEachOthersNotifications_WithUniqueIncreasingIds()
    {
        const int EachSends = 50;
        var first = Feed;
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var second = Open(otherConnection, Clock);

        await Task.WhenAll(Enumerable.Range(0, EachSends).SelectMany(i => new[]
        {
            first.NotifyAsync(ForOperators($"first-{i}"), Ct),
            second.NotifyAsync(ForOperators($"second-{i}"), Ct),
        }));

        var seenByFirst = await first.ReadAsync(0, Operator, Roles.Operator, Ct);
        var seenBySecond = await second.ReadAsync(0, Operator, Roles.Operator, Ct);
        Assert.Equal(seenByFirst, seenBySecond);
        Assert.Equal(Enumerable.Range(1, 2 * EachSends).Select(i => (long)i), seenByFirst.Select(i => i.Id));
        Assert.Equal(
            Enumerable.Range(0, EachSends).SelectMany(i => new[] { $"first-{i}", $"second-{i}" }).Order(StringComparer.Ordinal),
            seenByFirst.Select(i => i.Notification.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Notifications_AreStoredAsJson_WithTheirIdTimeAndFields()
    {
        await Feed.NotifyAsync(new OperatorNotification("c-1", NotificationAudience.Assignee, "worker-message", "劳动者回复了", Operator), Ct);

        var stored = await redis.Connection.GetDatabase().SortedSetRangeByRankWithScoresAsync(_keys.Key("feed"));

        var entry = Assert.Single(stored);
        using var json = JsonDocument.Parse((string)entry.Element!);
        Assert.Equal(entry.Score, json.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(Clock.GetUtcNow(), json.RootElement.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("c-1", json.RootElement.GetProperty("caseId").GetString());
        Assert.Equal("Assignee", json.RootElement.GetProperty("audience").GetString());
        Assert.Equal("worker-message", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("劳动者回复了", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(Operator, json.RootElement.GetProperty("operator").GetString());
    }

    private RedisOperatorFeed Open(IConnectionMultiplexer connection, TimeProvider time) =>
        new(connection, _keys, time, NullLogger<RedisOperatorFeed>.Instance);
}

/// <summary>The shared feed survives a redis-server crash and restart, and numbers on from where it was.</summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisOperatorFeedRestartTests(RedisServer redis)
{
    [Fact]
    public async Task Feed_SurvivesARestart_AndNumbersOn()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var before = new RedisOperatorFeed(redis.Connection, keys, TimeProvider.System, NullLogger<RedisOperatorFeed>.Instance);
        await before.NotifyAsync(new OperatorNotification("c-1", NotificationAudience.Operators, "new-case", "新工单"), cancellation);
        await before.NotifyAsync(new OperatorNotification(string.Empty, NotificationAudience.Admins, "review-due", "待复核"), cancellation);
        var sent = await before.ReadAsync(0, "zhou.qing", Roles.Admin, cancellation);

        await using var reconnected = await RedisRestarts.RestartAndReconnectAsync(redis);
        var after = new RedisOperatorFeed(reconnected, keys, TimeProvider.System, NullLogger<RedisOperatorFeed>.Instance);

        Assert.Equal(sent, await after.ReadAsync(0, "zhou.qing", Roles.Admin, cancellation));
        await after.NotifyAsync(new OperatorNotification("c-2", NotificationAudience.Operators, "new-case", "又一个工单"), cancellation);
        Assert.Equal([sent[^1].Id + 1], (await after.ReadAsync(sent[^1].Id, "zhou.qing", Roles.Admin, cancellation)).Select(i => i.Id));
    }
}
