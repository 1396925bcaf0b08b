using System.Collections.Concurrent;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dialogs.Tests;

/// <summary>The bot over the real seeds, a test adapter in front of it and a recording turn log behind it.</summary>
internal sealed class BotHarness
{
    public BotHarness(SeedsFixture seeds, IUrgentCaseOpener? urgentCases = null, ITurnLog? turnLog = null, TimeSpan? urgentCaseTimeout = null, IStorage? storage = null,
        Dialogs.Handoff.ICaseService? cases = null)
    {
        TurnLog = new RecordingTurnLog();
        Storage = storage ?? new MemoryStorage();
        var options = Options.Create(new HotlineBotOptions { UrgentCaseTimeout = urgentCaseTimeout ?? TimeSpan.FromSeconds(3) });
        Bot = new HotlineBot(seeds.Emergencies, seeds.SmallTalk, seeds.Search, new HotlineReplies(SeedsFixture.AnswerValues),
            turnLog ?? TurnLog, new ConversationState(Storage), urgentCases, options, cases: cases);
    }

    public HotlineBot Bot { get; }

    /// <summary>Where the bot keeps conversation state (a fresh <see cref="MemoryStorage"/> unless one was given).</summary>
    public IStorage Storage { get; }

    public TestAdapter Adapter { get; } = new();

    public RecordingTurnLog TurnLog { get; }

    public Task<IReadOnlyList<Activity>> SendAsync(Activity activity) =>
        Adapter.ProcessAsync(activity, Bot, TestContext.Current.CancellationToken);

    public Task<IReadOnlyList<Activity>> AskAsync(string? text, string conversationId = "conv-1") =>
        SendAsync(Inbound.Message(text, conversationId));

    /// <summary>Asks and expects exactly one message back; returns it with its metadata.</summary>
    public async Task<(Activity Reply, HotlineMetadata Meta)> AskOneAsync(string? text, string conversationId = "conv-1")
    {
        var replies = await AskAsync(text, conversationId);
        var reply = Assert.Single(replies, a => a.Type == ActivityTypes.Message);
        var meta = reply.GetHotlineMetadata();
        Assert.NotNull(meta);
        return (reply, meta);
    }
}

internal sealed class RecordingTurnLog : ITurnLog
{
    private readonly ConcurrentQueue<TurnRecord> _records = new();

    public IReadOnlyList<TurnRecord> Records => [.. _records];

    public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}
