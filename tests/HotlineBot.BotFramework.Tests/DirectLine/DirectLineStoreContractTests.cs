using System.Text.Json;
using HotlineBot.BotFramework.DirectLine;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Tests.DirectLine;

/// <summary>
/// What every <see cref="IDirectLineStore"/> does, run against each implementation: the in-memory one here,
/// Redis in the host's tests, which link this file. Each test gets fresh stores on a clock it moves.
/// </summary>
public abstract class DirectLineStoreContractTests
{
    protected const string Conversation = "conv-1";

    protected TestClock Clock { get; } = new();

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A new store on empty data, with these options and clock.</summary>
    protected abstract IDirectLineStore CreateStore(DirectLineOptions options, TimeProvider time);

    [Fact]
    public async Task Open_ReportsOnlyTheFirstOpening()
    {
        var store = Store();

        Assert.True(await store.OpenAsync(Conversation, Cancellation));
        Assert.False(await store.OpenAsync(Conversation, Cancellation));
        Assert.True(await store.IsOpenAsync(Conversation, Cancellation));
        Assert.False(await store.IsOpenAsync("conv-2", Cancellation));
    }

    [Fact]
    public async Task Appended_ActivitiesGetUrlSafeIds_AndAreReadInOrder_WithTheLastOnesWatermark()
    {
        var store = await OpenStoreAsync();

        var first = await store.AppendAsync(Conversation, Message("一"), Cancellation);
        var second = await store.AppendAsync(Conversation, Message("二"), Cancellation);
        var page = (await store.ReadAsync(Conversation, null, 10, Cancellation))!;

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first.Id, second.Id);
        Assert.All([first.Id, second.Id, page.Watermark], id => Assert.Equal(id, Uri.EscapeDataString(id)));
        Assert.Equal(["一", "二"], page.Activities.Select(a => a.Text));
        Assert.Equal([first.Id, second.Id], page.Activities.Select(a => a.Id));
        Assert.Equal(second.Id, page.Watermark);
    }

    [Fact]
    public async Task Read_AfterAWatermark_PagesThroughTheRest_ThenAnswersNothingNew()
    {
        var store = await OpenStoreAsync();
        foreach (var text in new[] { "1", "2", "3", "4", "5" })
        {
            await store.AppendAsync(Conversation, Message(text), Cancellation);
        }

        var seen = new List<string?>();
        string? watermark = null;
        var pages = 0;
        while (true)
        {
            var page = (await store.ReadAsync(Conversation, watermark, 2, Cancellation))!;
            if (page.Activities.Count == 0)
            {
                Assert.Equal(watermark, page.Watermark);
                break;
            }

            pages++;
            seen.AddRange(page.Activities.Select(a => a.Text));
            watermark = page.Watermark;
        }

        Assert.Equal(["1", "2", "3", "4", "5"], seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0123456789abcdef")]
    public async Task Read_WithAWatermarkItDidNotIssue_ReturnsEverythingKept(string watermark)
    {
        var store = await OpenStoreAsync();
        await store.AppendAsync(Conversation, Message("一"), Cancellation);
        await store.AppendAsync(Conversation, Message("二"), Cancellation);

        var page = (await store.ReadAsync(Conversation, watermark, 10, Cancellation))!;

        Assert.Equal(2, page.Activities.Count);
    }

    [Fact]
    public async Task Timestamps_StrictlyIncrease_ToTheMillisecond_EvenWhenTheClockStandsStill()
    {
        var store = await OpenStoreAsync();

        var stamps = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            stamps.Add((await store.AppendAsync(Conversation, Message("x"), Cancellation))!.Timestamp);
        }

        Assert.Equal(Clock.GetUtcNow(), stamps[0]);
        Assert.Equal([stamps[0].AddMilliseconds(1), stamps[0].AddMilliseconds(2)], stamps.Skip(1));
    }

    [Fact]
    public async Task Activity_WithTheSameSenderId_IsStoredOnce()
    {
        var store = await OpenStoreAsync();
        var delivery = Message("工作人员回复");
        delivery.Id = "delivery-7";

        var first = await store.AppendAsync(Conversation, delivery, Cancellation);
        var again = await store.AppendAsync(Conversation, delivery, Cancellation);

        Assert.Equal(first, again);
        Assert.Single((await store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities);
        Assert.NotEqual("delivery-7", first!.Id);
    }

    [Fact]
    public async Task ReplyToId_IsKept_OnlyWhenItNamesAnActivityOfTheConversation()
    {
        var store = await OpenStoreAsync();
        var question = await store.AppendAsync(Conversation, Message("问题"), Cancellation);
        var answer = Message("回答");
        answer.ReplyToId = question!.Id;
        var proactive = Message("主动消息");
        proactive.ReplyToId = "continuation-event";

        await store.AppendAsync(Conversation, answer, Cancellation);
        await store.AppendAsync(Conversation, proactive, Cancellation);
        var stored = (await store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities;

        Assert.Equal(question.Id, stored[1].ReplyToId);
        Assert.Null(stored[2].ReplyToId);
    }

    [Fact]
    public async Task Store_KeepsACopy_ThatTheSenderCannotChangeLater()
    {
        var store = await OpenStoreAsync();
        var activity = Message("原文");

        await store.AppendAsync(Conversation, activity, Cancellation);
        activity.Text = "改过";

        Assert.Equal("原文", (await store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities[0].Text);
        Assert.Null(activity.Id);
    }

    [Fact]
    public async Task Conversation_KeepsOnlyTheNewestActivities_BeyondItsBound()
    {
        var store = await OpenStoreAsync(o => o.MaxActivitiesPerConversation = 10);
        AppendedActivity? third = null;
        for (var i = 1; i <= 15; i++)
        {
            var appended = await store.AppendAsync(Conversation, Message(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Cancellation);
            third = i == 3 ? appended : third;
        }

        var all = (await store.ReadAsync(Conversation, null, 100, Cancellation))!;
        var afterDropped = (await store.ReadAsync(Conversation, third!.Id, 100, Cancellation))!;

        Assert.Equal(Enumerable.Range(6, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.Activities.Select(a => a.Text));
        Assert.Equal(all.Activities.Select(a => a.Id), afterDropped.Activities.Select(a => a.Id));
    }

    [Fact]
    public async Task IdleConversation_ExpiresAfterTheTokenLifePlusTheMargin_AndReadsAfterReopeningStartAfresh()
    {
        var store = await OpenStoreAsync(o =>
        {
            o.TokenLifetime = TimeSpan.FromMinutes(60);
            o.IdleMargin = TimeSpan.FromMinutes(10);
        });
        var old = await store.AppendAsync(Conversation, Message("旧"), Cancellation);

        Clock.Advance(TimeSpan.FromMinutes(70));
        Assert.True(await store.IsOpenAsync(Conversation, Cancellation));
        Assert.NotNull(await store.ReadAsync(Conversation, null, 10, Cancellation));

        Clock.Advance(TimeSpan.FromMinutes(70) + TimeSpan.FromSeconds(1));
        Assert.False(await store.IsOpenAsync(Conversation, Cancellation));
        Assert.Null(await store.AppendAsync(Conversation, Message("迟到"), Cancellation));
        Assert.Null(await store.ReadAsync(Conversation, null, 10, Cancellation));

        Assert.True(await store.OpenAsync(Conversation, Cancellation));
        var fresh = await store.AppendAsync(Conversation, Message("新"), Cancellation);
        var page = (await store.ReadAsync(Conversation, old!.Id, 10, Cancellation))!;
        Assert.Equal("新", Assert.Single(page.Activities).Text);
        Assert.NotEqual(old.Id, fresh!.Id);
    }

    [Fact]
    public async Task Subscriber_IsWokenByAppends_AndGetsTransientActivitiesAsTheyAre()
    {
        var store = await OpenStoreAsync();
        using var subscription = store.Subscribe(Conversation);

        await store.AppendAsync(Conversation, Message("一"), Cancellation);
        await store.PublishAsync(Conversation, Activity.CreateTypingActivity(), Cancellation);

        Assert.Null(await subscription.Updates.ReadAsync(Cancellation));
        Assert.Equal(ActivityTypes.Typing, (await subscription.Updates.ReadAsync(Cancellation))!.Type);
        Assert.DoesNotContain((await store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities, a => a.Type == ActivityTypes.Typing);
    }

    [Fact]
    public async Task DisposedSubscription_HearsNothingMore()
    {
        var store = await OpenStoreAsync();
        var subscription = store.Subscribe(Conversation);

        subscription.Dispose();
        await store.AppendAsync(Conversation, Message("一"), Cancellation);

        Assert.False(subscription.Updates.TryRead(out _));
        Assert.True(subscription.Updates.Completion.IsCompleted);
    }

    [Fact]
    public async Task StoredActivity_KeepsWhatTheSenderPutInIt()
    {
        var store = await OpenStoreAsync();
        var activity = Message("你好");
        activity.ChannelData = JsonDocument.Parse("""{"clientActivityID":"abc-1","webchat:sequence-id":3}""").RootElement;
        activity.LocalTimezone = "Asia/Shanghai";

        await store.AppendAsync(Conversation, activity, Cancellation);
        var stored = (await store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities[0];

        Assert.Equal("abc-1", stored.ChannelData!.Value.GetProperty("clientActivityID").GetString());
        Assert.Equal("Asia/Shanghai", stored.LocalTimezone);
    }

    [Fact]
    public async Task Conversation_KeepsWithinItsByteBudget_DroppingTheOldestFirst()
    {
        var store = await OpenStoreAsync(o => o.MaxBytesPerConversation = 64 * 1024);
        var texts = Enumerable.Range(1, 4).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + new string('字', 10_000)).ToList();

        foreach (var text in texts)
        {
            await store.AppendAsync(Conversation, Message(text), Cancellation);
        }

        // Each is about 30 KB of JSON: two fit in 64 KiB, the newest two.
        var page = (await store.ReadAsync(Conversation, null, 10, Cancellation))!;
        Assert.Equal(texts[2..], page.Activities.Select(a => a.Text));
    }

    [Fact]
    public async Task HasRoom_UntilTheConversationCapIsReached()
    {
        var store = Store(o => o.MaxConversations = 10);
        for (var i = 0; i < 9; i++)
        {
            await store.OpenAsync("conv-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Cancellation);
        }

        Assert.True(await store.HasRoomAsync(Cancellation));
        await store.OpenAsync("conv-last", Cancellation);
        Assert.False(await store.HasRoomAsync(Cancellation));
    }

    protected IDirectLineStore Store(Action<DirectLineOptions>? configure = null)
    {
        var options = new DirectLineOptions();
        configure?.Invoke(options);
        return CreateStore(options, Clock);
    }

    protected async Task<IDirectLineStore> OpenStoreAsync(Action<DirectLineOptions>? configure = null)
    {
        var store = Store(configure);
        await store.OpenAsync(Conversation, Cancellation);
        return store;
    }

    protected static Activity Message(string text) => Activity.CreateMessageActivity(text);
}
