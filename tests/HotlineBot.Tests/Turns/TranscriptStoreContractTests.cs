using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.Tests.Turns;

/// <summary>
/// What every <see cref="ITranscriptStore"/> does for a handoff, run against each implementation (SQLite,
/// Redis): the lines of a conversation come back oldest first, masked, with who said them and the reply kind,
/// the last ones when fewer are asked for, and never another conversation's. Each test gets fresh storage.
/// </summary>
public abstract class TranscriptStoreContractTests : IAsyncDisposable
{
    protected const string Channel = "webchat";

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    protected static DateTimeOffset Start { get; } = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567);

    public async ValueTask DisposeAsync()
    {
        await DisposeStorageAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A store on this test's storage (fresh and empty for each test).</summary>
    protected abstract ITranscriptStore Open();

    /// <summary>Disposes what <see cref="Open"/> opened and removes the storage.</summary>
    protected virtual ValueTask DisposeStorageAsync() => ValueTask.CompletedTask;

    protected static Activity Message(string conversation, string role, string text, DateTimeOffset at, string? kind = null, string channel = Channel) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = channel,
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = role + "-1", Role = role },
        Text = text,
        Timestamp = at,
        ChannelData = kind is null ? null : JsonSerializer.SerializeToElement(new { hotline = new { kind } }),
    };

    protected static async Task LogAsync(ITranscriptStore store, IEnumerable<Activity> activities)
    {
        foreach (var activity in activities)
        {
            await store.LogActivityAsync(activity, Cancellation);
        }
    }

    [Fact]
    public async Task IncomingAndOutgoingLines_ComeBackInOrder_WithRolesKindsAndNumbersMasked()
    {
        var store = Open();
        await LogAsync(store,
        [
            Message("c1", RoleTypes.User, "老板欠薪，我电话13812348000，身份证110101199003071234", Start),
            Message("c1", RoleTypes.Bot, "可以申请劳动仲裁", Start.AddSeconds(1), kind: "answer"),
            new Activity { Type = ActivityTypes.Event, ChannelId = Channel, Conversation = new ConversationAccount { Id = "c1" }, Timestamp = Start.AddSeconds(2) },
            Message("c1", RoleTypes.User, "好的谢谢", Start.AddSeconds(3)),
        ]);

        var lines = await store.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation);

        Assert.Equal([RoleTypes.User, RoleTypes.Bot, RoleTypes.User, RoleTypes.User], lines.Select(l => l.From?.Role));
        Assert.Equal([ActivityTypes.Message, ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Message], lines.Select(l => l.Type));
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2), Start.AddSeconds(3)], lines.Select(l => l.Timestamp!.Value));
        Assert.Contains("138****8000", lines[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("13812348000", lines[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("110101199003071234", lines[0].Text, StringComparison.Ordinal);
        Assert.Equal("可以申请劳动仲裁", lines[1].Text);
        Assert.Null(lines[0].GetHotlineMetadata());
        Assert.Equal("answer", lines[1].GetHotlineMetadata()?.Kind);
        Assert.All(lines, l => Assert.Equal((Channel, "c1"), (l.ChannelId, l.Conversation?.Id)));
    }

    [Fact]
    public async Task Reading_GivesTheLastLinesAskedFor_OldestFirst()
    {
        var store = Open();
        await LogAsync(store, Enumerable.Range(0, 10).Select(i => Message("c1", i % 2 == 0 ? RoleTypes.User : RoleTypes.Bot, "第" + i + "句", Start.AddSeconds(i))));

        Assert.Equal(["第7句", "第8句", "第9句"], (await store.GetTranscriptActivitiesAsync(Channel, "c1", 3, Cancellation)).Select(l => l.Text));
        Assert.Equal(10, (await store.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation)).Count);
    }

    [Fact]
    public async Task Conversations_AreKeptApart_ByChannelAndId()
    {
        var store = Open();
        await LogAsync(store,
        [
            Message("c1", RoleTypes.User, "一号对话", Start),
            Message("c2", RoleTypes.User, "二号对话", Start.AddSeconds(1)),
            Message("c1", RoleTypes.User, "另一个渠道的一号对话", Start.AddSeconds(2), channel: "wechat"),
            Message("c1", RoleTypes.Bot, "一号对话的回答", Start.AddSeconds(3), kind: "answer"),
        ]);

        Assert.Equal(["一号对话", "一号对话的回答"], (await store.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation)).Select(l => l.Text));
        Assert.Equal(["二号对话"], (await store.GetTranscriptActivitiesAsync(Channel, "c2", 60, Cancellation)).Select(l => l.Text));
        Assert.Equal(["另一个渠道的一号对话"], (await store.GetTranscriptActivitiesAsync("wechat", "c1", 60, Cancellation)).Select(l => l.Text));
        Assert.Empty(await store.GetTranscriptActivitiesAsync(Channel, "c3", 60, Cancellation));
    }

    [Fact]
    public async Task AnActivityWithoutAConversation_IsNotKept()
    {
        var store = Open();

        await store.LogActivityAsync(new Activity { Type = ActivityTypes.Message, ChannelId = Channel, Text = "无对话" }, Cancellation);
        await store.LogActivityAsync(new Activity { Type = ActivityTypes.Message, Conversation = new ConversationAccount { Id = "c1" }, Text = "无渠道" }, Cancellation);

        Assert.Empty(await store.GetTranscriptActivitiesAsync(Channel, "c1", 60, Cancellation));
        Assert.Empty(await store.GetTranscriptActivitiesAsync(string.Empty, "c1", 60, Cancellation));
    }
}
