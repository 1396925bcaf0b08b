using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Turns;

namespace HotlineBot.Tests.Turns;

/// <summary>
/// What every <see cref="ITurnRecords"/> does for the unanswered inbox, run against each implementation
/// (SQLite, Redis): turns come back in recorded order with increasing ids that never change, from a given
/// time on. Each test gets a fresh, empty log.
/// </summary>
public abstract class TurnRecordsContractTests : IAsyncDisposable
{
    private readonly List<ITurnRecords> _opened = [];

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Turns handled over the last days (the inbox looks back from now).</summary>
    protected static DateTimeOffset Start { get; } = DateTimeOffset.UtcNow.AddDays(-10);

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _opened)
        {
            await ((IAsyncDisposable)log).DisposeAsync();
        }

        await DisposeStorageAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new log on fresh, empty storage, or, once one is open, another instance on the same storage (another host process would open this).</summary>
    protected ITurnRecords Open()
    {
        var log = OpenLog();
        _opened.Add(log);
        return log;
    }

    protected abstract ITurnRecords OpenLog();

    /// <summary>Removes the storage once the logs are disposed.</summary>
    protected virtual ValueTask DisposeStorageAsync() => ValueTask.CompletedTask;

    protected static TurnRecord Turn(int i, DateTimeOffset at, string kind = "fallback") =>
        new(at, "conv-" + i, "user-" + (i % 7), "问题 " + i + " 138****8000", kind)
        {
            Reason = kind == "fallback" ? "low-confidence" : "answer",
            Confidence = i % 3 == 0 ? null : 0.25 + (i % 10 / 100.0),
            EntryId = kind == "answer" ? "overtime-pay-rates" : null,
            ChannelId = i % 2 == 0 ? "webchat" : null,
            Feedback = i % 5 == 0 ? "not-solved" : null,
            CaseId = i % 11 == 0 ? "12351-20261130-0001" : null,
        };

    [Fact]
    public async Task Since_GivesEveryTurnInRecordedOrder_WithIncreasingIds_AcrossPages()
    {
        var log = Open();
        var turns = Enumerable.Range(0, 2600).Select(i => Turn(i, Start.AddSeconds(i), i % 4 == 0 ? "answer" : "fallback")).ToList();
        foreach (var turn in turns)
        {
            await log.RecordAsync(turn, Cancellation);
        }

        await log.FlushAsync(Cancellation);

        var since = await log.SinceAsync(Start.AddDays(-1), Cancellation);
        Assert.Equal(turns, since.Select(t => t.Record));
        Assert.True(since.Zip(since.Skip(1)).All(p => p.First.Id < p.Second.Id), "ids rise in recorded order");
    }

    [Fact]
    public async Task Ids_AreStable_AcrossReads_AndAnotherInstance()
    {
        var log = Open();
        for (var i = 0; i < 40; i++)
        {
            await log.RecordAsync(Turn(i, Start.AddMinutes(i)), Cancellation);
        }

        await log.FlushAsync(Cancellation);
        var first = await log.SinceAsync(Start, Cancellation);

        var other = Open();
        await other.RecordAsync(Turn(40, Start.AddMinutes(40)), Cancellation);
        await other.FlushAsync(Cancellation);

        Assert.Equal(first, (await log.SinceAsync(Start, Cancellation)).Take(40));
        var seenByOther = await other.SinceAsync(Start, Cancellation);
        Assert.Equal(first, seenByOther.Take(40));
        Assert.Equal("conv-40", seenByOther[^1].Record.ConversationId);
        Assert.True(seenByOther[^1].Id > first[^1].Id);
    }

    [Fact]
    public async Task Since_GivesTheTurnsHandledFromThatTimeOn()
    {
        var log = Open();
        for (var i = 0; i < 6; i++)
        {
            await log.RecordAsync(Turn(i, Start.AddDays(i)), Cancellation);
        }

        await log.FlushAsync(Cancellation);

        Assert.Equal(["conv-2", "conv-3", "conv-4", "conv-5"], (await log.SinceAsync(Start.AddDays(2), Cancellation)).Select(t => t.Record.ConversationId));
        Assert.Equal(["conv-5"], (await log.SinceAsync(Start.AddDays(4).AddTicks(TimeSpan.TicksPerMillisecond), Cancellation)).Select(t => t.Record.ConversationId));
        Assert.Empty(await log.SinceAsync(DateTimeOffset.UtcNow.AddMinutes(1), Cancellation));
    }

    [Fact]
    public async Task Record_KeepsEveryTurn_WhenManyTurnsRecordAtOnce_FromTwoInstances()
    {
        var (a, b) = (Open(), Open());

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).RecordAsync(Turn(i, Start.AddSeconds(i)), Cancellation), Cancellation)));
        await Task.WhenAll(a.FlushAsync(Cancellation), b.FlushAsync(Cancellation));

        var since = await b.SinceAsync(Start, Cancellation);
        Assert.Equal(400, since.Select(t => t.Record.ConversationId).Distinct().Count());
        Assert.Equal(400, since.Select(t => t.Id).Distinct().Count());
        Assert.Equal(since.Select(t => t.Id).Order(), since.Select(t => t.Id));
    }

    [Fact]
    public async Task Flush_ReturnsAtOnce_WhenNothingWasRecorded()
    {
        var log = Open();

        await log.FlushAsync(Cancellation);

        Assert.Empty(await log.SinceAsync(DateTimeOffset.MinValue, Cancellation));
    }
}
