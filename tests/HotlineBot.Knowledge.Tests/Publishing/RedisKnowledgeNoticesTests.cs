using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Publishing;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Storage;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Knowledge.Tests.Publishing;

/// <summary>
/// Two instances of the knowledge base (each its own connection, store, search and synchronizer) on one
/// real redis-server: an edit made on one reaches search on the other, and one whose notice was lost is
/// found all the same.
/// </summary>
public sealed class RedisKnowledgeNoticesTests(RedisServer redis) : IAsyncDisposable
{
    private const string NewPhrasing = "双休日被叫回厂里干活钱怎么给";
    private static readonly SeedSet Seeds = SeedLoader.Load(TestSeeds.Directory);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());
    private readonly List<Instance> _instances = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEditOnOneInstance_IsSearchableThereAtOnce_AndOnTheOtherSoon()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        var entry = (await a.Store.GetAsync("overtime-pay-rates", Ct))!;

        var updated = await a.Editor.UpdateAsync(entry with { Alternates = [.. entry.Alternates, NewPhrasing] }, entry.Version, "chief", force: false, Ct);

        Assert.Equal("overtime-pay-rates", a.Search.Search(NewPhrasing).Candidates[0].Entry.Id);
        await EventuallyAsync(() => b.Search.Find("overtime-pay-rates")?.Version == updated.Version, "the edit reaches the other instance");
        Assert.Equal("overtime-pay-rates", b.Search.Search(NewPhrasing).Candidates[0].Entry.Id);
    }

    [Fact]
    public async Task AnInstance_HandlesItsOwnChangeOnce()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        var seenByA = new List<string>();
        var seenByB = new List<string>();
        using var countA = a.Notices.Subscribe((c, _) => Record(seenByA, c));
        using var countB = b.Notices.Subscribe((c, _) => Record(seenByB, c));

        await a.Notices.PublishAsync(new KnowledgeChange(["from-a"]), Ct);
        Assert.Equal(["from-a"], Snapshot(seenByA)); // handled before the call returned
        await EventuallyAsync(() => Snapshot(seenByB).Contains("from-a"), "b hears a's change");

        // Redis delivers in publishing order: once b's later notice has reached a, any echo of a's own would have too.
        await b.Notices.PublishAsync(new KnowledgeChange(["from-b"]), Ct);
        await EventuallyAsync(() => Snapshot(seenByA).Contains("from-b"), "a hears b's change");

        Assert.Equal(["from-a", "from-b"], Snapshot(seenByA));
        Assert.Equal(["from-a", "from-b"], Snapshot(seenByB));
    }

    [Fact]
    public async Task AChangeMissedWhileDisconnected_IsCaughtUpWhenTheConnectionIsRestored()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b", catchUpPeriod: TimeSpan.FromHours(1));
        var entry = (await a.Store.GetAsync("overtime-pay-rates", Ct))!;

        // Written without a notice: as if b had been away when it was sent.
        var updated = await a.Store.UpdateAsync(entry with { Alternates = [.. entry.Alternates, NewPhrasing] }, entry.Version, "chief", Ct);
        Assert.Equal(entry.Version, b.Search.Find(entry.Id)!.Version);

        await KillConnectionsAsync(b.Name);

        await EventuallyAsync(() => b.Search.Find(entry.Id)?.Version == updated.Version, "b catches up after reconnecting");
        Assert.Equal(entry.Id, b.Search.Search(NewPhrasing).Candidates[0].Entry.Id);
    }

    [Fact]
    public async Task AChangeNobodyAnnounced_IsFoundByThePeriodicCheck()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b", catchUpPeriod: TimeSpan.FromMilliseconds(200));

        // As if a had stopped between writing and publishing.
        var created = await a.Store.CreateAsync(Seeds.Entries[0] with { Id = "", Status = EntryStatus.Published }, "chief", Ct);

        await EventuallyAsync(() => b.Search.Find(created.Id) is not null, "b's periodic check finds the new entry");
    }

    [Fact]
    public async Task CatchUp_WithNothingMissed_ReadsNothingAgain()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b", catchUpPeriod: TimeSpan.FromHours(1));
        var entry = (await a.Store.GetAsync("overtime-pay-rates", Ct))!;
        await a.Editor.UpdateAsync(entry with { Alternates = [.. entry.Alternates, NewPhrasing] }, entry.Version, "chief", force: true, Ct);
        await EventuallyAsync(() => b.Search.Find(entry.Id)?.Version == entry.Version + 1, "the edit reaches b");

        Assert.Equal(0, await b.CatchUp.CatchUpAsync(Ct));
        Assert.Equal(0, await a.CatchUp.CatchUpAsync(Ct));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    private async Task<Instance> StartAsync(string name, TimeSpan? catchUpPeriod = null)
    {
        _ = redis.Connection; // skips the test when there is no server
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.ClientName = $"{_keys.Prefix}{name}";
        var instance = new Instance(options.ClientName, await ConnectionMultiplexer.ConnectAsync(options), _keys, catchUpPeriod);
        _instances.Add(instance);
        await instance.StartAsync(Ct);
        return instance;
    }

    /// <summary>Drops every connection of one instance on the server side, as a network failure would.</summary>
    private async Task KillConnectionsAsync(string clientName)
    {
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.AllowAdmin = true;
        await using var admin = await ConnectionMultiplexer.ConnectAsync(options);
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var killed = 0L;
        foreach (var client in (await server.ClientListAsync()).Where(c => c.Name == clientName))
        {
            killed += await server.ClientKillAsync(client.Id, clientType: null, endpoint: null, skipMe: true);
        }

        Assert.True(killed > 0, $"no connection named {clientName}");
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var giveUp = DateTimeOffset.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < giveUp, $"Not within {Patience.TotalSeconds} s: {what}.");
            await Task.Delay(20, Ct);
        }
    }

    private static Task Record(List<string> seen, KnowledgeChange change)
    {
        lock (seen)
        {
            seen.AddRange(change.EntryIds);
        }

        return Task.CompletedTask;
    }

    private static List<string> Snapshot(List<string> seen)
    {
        lock (seen)
        {
            return [.. seen];
        }
    }

    /// <summary>One instance of the hotline's knowledge base, wired as the host wires it when scaled out.</summary>
    private sealed class Instance(string name, ConnectionMultiplexer connection, RedisKeys keys, TimeSpan? catchUpPeriod) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public RedisKnowledgeStore Store { get; } = new(connection, keys);

        public RedisKnowledgeNotices Notices { get; } = new(connection, keys);

        public PolicySearch Search { get; } = new(Seeds.Language, new SearchOptions());

        public SearchSynchronizer Synchronizer { get; private set; } = null!;

        public SearchCatchUp CatchUp { get; private set; } = null!;

        public KnowledgeEditor Editor { get; private set; } = null!;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var cases = new RedisRegressionCaseStore(connection, keys);
            await Store.SeedAsync(Seeds.Entries, "seeds", cancellationToken);
            await cases.SeedAsync(EvalCaseReader.Read(TestSeeds.RegressionFile), cancellationToken);
            Synchronizer = new SearchSynchronizer(Search, Store, Notices);
            await Synchronizer.LoadAllAsync(cancellationToken);
            CatchUp = new SearchCatchUp(Synchronizer, Notices, catchUpPeriod);
            Editor = new KnowledgeEditor(Store, new PublishingGuard(Search, cases), Notices);
        }

        public async ValueTask DisposeAsync()
        {
            CatchUp?.Dispose();
            Synchronizer?.Dispose();
            Notices.Dispose();
            await connection.DisposeAsync();
        }
    }
}
