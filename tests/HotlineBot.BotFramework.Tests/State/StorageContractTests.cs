using System.Text.Json;
using HotlineBot.BotFramework.State;

namespace HotlineBot.BotFramework.Tests.State;

/// <summary>
/// What every <see cref="IStorage"/> does, run against each implementation: the in-memory one here,
/// SQLite (and Redis) in the host's tests, which link this file. Each test gets a fresh storage.
/// </summary>
public abstract class StorageContractTests
{
    private IStorage? _storage;

    protected IStorage Storage => _storage ??= CreateStorage();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty storage for one test.</summary>
    protected abstract IStorage CreateStorage();

    [Fact]
    public async Task Read_ReturnsNothing_ForMissingKey()
    {
        var found = await Storage.ReadAsync(["test/conversations/missing"], Ct);

        Assert.Empty(found);
    }

    [Fact]
    public async Task Write_ThenRead_RoundTripsValueAndGivesAnETag()
    {
        var value = Json("""{"name":"王师傅","wages":[3200,3350.5],"nested":{"ok":true,"none":null}}""");

        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k/1"] = new(value) }, Ct);
        var found = await Storage.ReadAsync(["k/1", "k/missing"], Ct);

        var item = Assert.Single(found);
        Assert.Equal("k/1", item.Key);
        Assert.True(JsonElement.DeepEquals(value, item.Value.Value));
        Assert.False(string.IsNullOrEmpty(item.Value.ETag));
        Assert.NotEqual(StoreItem.AnyETag, item.Value.ETag);
    }

    [Fact]
    public async Task Read_ReturnsEachRequestedKey_AndNoOthers()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["a"] = new(Json("1")), ["b"] = new(Json("2")), ["c"] = new(Json("3")) }, Ct);

        var found = await Storage.ReadAsync(["a", "c", "x"], Ct);

        Assert.Equal(["a", "c"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, found["c"].Value.GetInt32());
    }

    [Fact]
    public async Task Write_HandsBackTheNewETag_InTheChanges()
    {
        var changes = new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":1}""")) };
        await Storage.WriteAsync(changes, Ct);
        var first = changes["k"].ETag;

        // Writing again with the ETag handed back needs no read in between.
        changes["k"] = changes["k"] with { Value = Json("""{"v":2}""") };
        await Storage.WriteAsync(changes, Ct);

        var stored = (await Storage.ReadAsync(["k"], Ct))["k"];
        Assert.NotNull(first);
        Assert.NotEqual(first, changes["k"].ETag);
        Assert.Equal(stored.ETag, changes["k"].ETag);
        Assert.Equal(2, stored.Value.GetProperty("v").GetInt32());
    }

    [Fact]
    public async Task Write_RefusesStaleETag_AndKeepsTheNewerValue()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":"original"}""")) }, Ct);
        var read = (await Storage.ReadAsync(["k"], Ct))["k"];
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":"first writer"}"""), read.ETag) }, Ct);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() =>
            Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":"second writer"}"""), read.ETag) }, Ct));

        var stored = (await Storage.ReadAsync(["k"], Ct))["k"];
        Assert.Equal("first writer", stored.Value.GetProperty("v").GetString());
    }

    [Theory]
    [InlineData("*")]
    [InlineData(null)]
    public async Task Write_WithStarOrNoETag_OverwritesWhateverIsStored(string? eTag)
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":"old"}""")) }, Ct);
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":"newer"}""")) }, Ct);

        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"v":"forced"}"""), eTag) }, Ct);

        var stored = (await Storage.ReadAsync(["k"], Ct))["k"];
        Assert.Equal("forced", stored.Value.GetProperty("v").GetString());
    }

    [Fact]
    public async Task Write_RefusesETag_OfAnItemDeletedSinceItWasRead()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("1")) }, Ct);
        var read = (await Storage.ReadAsync(["k"], Ct))["k"];
        await Storage.DeleteAsync(["k"], Ct);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() =>
            Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("2"), read.ETag) }, Ct));

        Assert.Empty(await Storage.ReadAsync(["k"], Ct));
    }

    [Fact]
    public async Task Write_OfSeveralItems_WritesNoneWhenOneIsStale()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["a"] = new(Json("1")), ["b"] = new(Json("1")) }, Ct);
        var read = await Storage.ReadAsync(["a", "b"], Ct);
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["b"] = new(Json("2"), read["b"].ETag) }, Ct);

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => Storage.WriteAsync(
            new Dictionary<string, StoreItem> { ["a"] = new(Json("3"), read["a"].ETag), ["b"] = new(Json("3"), read["b"].ETag) }, Ct));

        var stored = await Storage.ReadAsync(["a", "b"], Ct);
        Assert.Equal(1, stored["a"].Value.GetInt32());
        Assert.Equal(2, stored["b"].Value.GetInt32());
        Assert.Equal(read["a"].ETag, stored["a"].ETag);
    }

    [Fact]
    public async Task Delete_RemovesTheItems_AndIgnoresMissingKeys()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["a"] = new(Json("1")), ["b"] = new(Json("2")) }, Ct);

        await Storage.DeleteAsync(["a", "never-written"], Ct);

        var found = await Storage.ReadAsync(["a", "b"], Ct);
        Assert.Equal(["b"], found.Keys);
    }

    [Fact]
    public async Task ConcurrentWriters_WithTheSameETag_ExactlyOneWins()
    {
        const int writers = 12;
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json("""{"writer":-1}""")) }, Ct);
        var read = (await Storage.ReadAsync(["k"], Ct))["k"];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new(Json($$"""{"writer":{{i}}}"""), read.ETag) }, Ct);
                return i;
            }
            catch (StorageConcurrencyException)
            {
                return -1;
            }
        }, Ct)).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o >= 0);
        var stored = (await Storage.ReadAsync(["k"], Ct))["k"];
        Assert.Equal(winner, stored.Value.GetProperty("writer").GetInt32());
    }

    [Fact]
    public async Task ConcurrentReadModifyWrite_WithRetries_LosesNoUpdate()
    {
        const int workers = 6;
        const int increments = 8;
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["counter"] = new(Json("0")) }, Ct);

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < increments;)
            {
                var item = (await Storage.ReadAsync(["counter"], Ct))["counter"];
                try
                {
                    var next = JsonSerializer.SerializeToElement(item.Value.GetInt32() + 1);
                    await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["counter"] = new(next, item.ETag) }, Ct);
                    done++;
                }
                catch (StorageConcurrencyException)
                {
                    // Lost the race: read again and retry, as a bot turn would.
                }
            }
        }, Ct)));

        var stored = (await Storage.ReadAsync(["counter"], Ct))["counter"];
        Assert.Equal(workers * increments, stored.Value.GetInt32());
    }

    protected static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
