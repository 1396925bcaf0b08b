using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Storage;
using HotlineBot.Redis;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisServer))]

namespace HotlineBot.Cases.Tests.Storage;

/// <summary>
/// The shared case-store contract on a real redis-server (each test under its own key prefix), and what
/// only the Redis store promises: race-correct across instances, each "instance" its own connection.
/// </summary>
public sealed class RedisCaseStoreTests(RedisServer redis) : CaseStoreContractTests, IAsyncDisposable
{
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<ConnectionMultiplexer> _connections = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstances_RacingAnUpdateFromOneVersion_ExactlyOneWins()
    {
        var stores = new[] { await NewInstanceAsync(), await NewInstanceAsync() };
        var created = await stores[0].CreateAsync(OpenedDraft("conv-1"), Ct);
        const int writers = 10;
        var copies = new List<HotlineCase>();
        for (var i = 0; i < writers; i++)
        {
            var copy = (await stores[i % 2].GetAsync(created.Id, Ct))!;
            Machine.Apply(copy, new ClaimTransition($"operator-{i}"), $"operator-{i}");
            copies.Add(copy);
        }

        var results = await Task.WhenAll(copies.Select((copy, i) => Task.Run(async () =>
        {
            try
            {
                await stores[i % 2].UpdateAsync(copy, Ct);
                return copy.Assignee;
            }
            catch (CaseConcurrencyException conflict) when (conflict.ExpectedVersion == 1 && conflict.StoredVersion == 2)
            {
                return null;
            }
        }, Ct)));

        var winner = Assert.Single(results, r => r is not null);
        foreach (var store in stores)
        {
            var read = (await store.GetAsync(created.Id, Ct))!;
            Assert.Equal(2, read.Version);
            Assert.Equal(winner, read.Assignee);
            Assert.Equal(["open", "claim"], read.History.Select(e => e.Action));
            Assert.Equal(1, (await store.ListAsync(new CaseQuery([CaseStatus.Claimed]), Ct)).Total);
            Assert.Equal(0, (await store.ListAsync(new CaseQuery([CaseStatus.New]), Ct)).Total);
        }
    }

    [Fact]
    public async Task TwoInstances_CreatingAtOnceOnTheSameDay_NumberEveryCaseOnce()
    {
        var stores = new[] { await NewInstanceAsync(), await NewInstanceAsync() };

        var created = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => stores[i % 2].CreateAsync(OpenedDraft($"conv-{i}"), Ct), Ct)));

        Assert.Equal(
            Enumerable.Range(1, 40).Select(n => CaseIds.Format(new DateOnly(2026, 11, 24), n)),
            created.Select(c => c.Id).Order(StringComparer.Ordinal));
        var listed = await stores[1].ListAsync(new CaseQuery(PageSize: 100), Ct);
        Assert.Equal(40, listed.Total);
        Assert.Equal(created.Select(c => c.Id).Order(StringComparer.Ordinal), listed.Items.Select(c => c.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Indexes_FollowStatusChanges_ThroughCloseAndReopen()
    {
        var older = await Store.CreateAsync(OpenedDraft("mine"), Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var other = await Store.CreateAsync(OpenedDraft("someone-else"), Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = await Store.CreateAsync(OpenedDraft("mine"), Ct);
        Machine.Apply(older, new ClaimTransition("operator-li"), "operator-li");
        Machine.Apply(older, new ResolveTransition("已答复"), "operator-li");
        Machine.Apply(older, new CloseTransition(), "worker", "评分 5");
        await Store.UpdateAsync(older, Ct);

        var unfinishedWhileClosed = await Store.ListUnfinishedAsync(Ct);
        var mineWhileClosed = await Store.ListByConversationAsync("webchat", "mine", Ct);
        var closed = await Store.ListAsync(new CaseQuery([CaseStatus.Closed]), Ct);
        Machine.Apply(older, new ReopenTransition(), "worker", "问题没解决");
        await Store.UpdateAsync(older, Ct);
        var unfinishedAfterReopen = await Store.ListUnfinishedAsync(Ct);
        var mineAfterReopen = await Store.ListByConversationAsync("webchat", "mine", Ct);

        Assert.Equal([other.Id, newer.Id], unfinishedWhileClosed.Select(c => c.Id));
        Assert.Equal([(newer.Id, CaseStatus.New), (older.Id, CaseStatus.Closed)], mineWhileClosed.Select(c => (c.Id, c.Status)));
        Assert.Equal([older.Id], closed.Items.Select(c => c.Id));
        Assert.Equal([older.Id, other.Id, newer.Id], unfinishedAfterReopen.Select(c => c.Id));
        Assert.Equal([(newer.Id, CaseStatus.New), (older.Id, CaseStatus.WaitingForOperator)], mineAfterReopen.Select(c => (c.Id, c.Status)));
        Assert.Equal(0, (await Store.ListAsync(new CaseQuery([CaseStatus.Closed]), Ct)).Total);
        Assert.Equal([older.Id], (await Store.ListAsync(new CaseQuery([CaseStatus.WaitingForOperator]), Ct)).Items.Select(c => c.Id));
        Assert.Equal(3, (await Store.ListAsync(new CaseQuery(), Ct)).Total);
    }

    [Fact]
    public async Task Conversations_WithColonsInTheirIds_KeepTheirOwnCases()
    {
        var first = await Store.CreateAsync(OpenedDraft("c", "a:b"), Ct);
        var second = await Store.CreateAsync(OpenedDraft("b:c", "a"), Ct);

        Assert.Equal([first.Id], (await Store.ListByConversationAsync("a:b", "c", Ct)).Select(c => c.Id));
        Assert.Equal([second.Id], (await Store.ListByConversationAsync("a", "b:c", Ct)).Select(c => c.Id));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    protected override ICaseStore CreateStore(TimeProvider clock) => new RedisCaseStore(redis.Connection, _keys, clock);

    /// <summary>A draft from one conversation, opened by the bot.</summary>
    private HotlineCase OpenedDraft(string conversationId, string channelId = "webchat")
    {
        var draft = TestCases.Draft(conversationId);
        draft.Worker = draft.Worker with { ChannelId = channelId };
        Machine.Open(draft, "bot", "转人工");
        return draft;
    }

    private async Task<RedisCaseStore> NewInstanceAsync()
    {
        _ = redis.Connection; // skips the test when there is no server
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _connections.Add(connection);
        return new RedisCaseStore(connection, _keys, Clock);
    }
}

/// <summary>Tests that restart the shared redis-server: they run alone, after the others.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RedisRestarts;

/// <summary>Confirmed writes survive a redis-server crash and restart (append-only file, fsync on every write).</summary>
[Collection(typeof(RedisRestarts))]
public sealed class RedisCaseStoreRestartTests(RedisServer redis)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cases_Transcripts_Indexes_AndTheDaysCounter_SurviveARestart()
    {
        _ = redis.Connection; // skips the test when there is no server
        var keys = new RedisKeys(RedisServer.NewPrefix());
        var machine = new CaseStateMachine(_clock);
        var ids = new List<string>();
        await using (var before = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var store = new RedisCaseStore(before, keys, _clock);
            for (var i = 0; i < 3; i++)
            {
                var draft = TestCases.Draft($"conv-{i}");
                machine.Open(draft, "bot");
                ids.Add((await store.CreateAsync(draft, Ct)).Id);
            }

            var claimed = (await store.GetAsync(ids[0], Ct))!;
            machine.Apply(claimed, new ClaimTransition("operator-li"), "operator-li");
            await store.UpdateAsync(claimed, Ct);
            await store.AppendTranscriptAsync(ids[0], new TranscriptLine(_clock.GetUtcNow(), TranscriptRole.Operator, "您好"), Ct);
        }

        await redis.RestartAsync(TimeSpan.FromMilliseconds(200));

        // A new instance after the restart, on its own connection.
        await using var after = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var restarted = new RedisCaseStore(after, keys, _clock);
        var reread = (await restarted.GetAsync(ids[0], Ct))!;
        var unfinished = await restarted.ListUnfinishedAsync(Ct);
        var claimedPage = await restarted.ListAsync(new CaseQuery([CaseStatus.Claimed]), Ct);
        var draftAfter = TestCases.Draft("conv-after");
        machine.Open(draftAfter, "bot");
        var next = await restarted.CreateAsync(draftAfter, Ct);

        Assert.Equal(CaseStatus.Claimed, reread.Status);
        Assert.Equal(2, reread.Version);
        Assert.Equal("您好", Assert.Single(reread.Transcript).Text);
        Assert.Equal(ids, unfinished.Select(c => c.Id));
        Assert.Equal([ids[0]], claimedPage.Items.Select(c => c.Id));
        Assert.Equal([ids[1]], (await restarted.ListByConversationAsync("webchat", "conv-1", Ct)).Select(c => c.Id));
        Assert.Equal("12351-20261124-0004", next.Id);
    }
}
