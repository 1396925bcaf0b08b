using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.DirectLine;
using HotlineBot.BotFramework.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotlineBot.BotFramework.Tests.DirectLine;

public sealed class DirectLineConnectorClientTests
{
    private const string Conversation = "conv-1";

    private readonly RecordingConnector _inner = new();
    private readonly InMemoryDirectLineStore _store;
    private readonly DirectLineConnectorClient _connector;

    public DirectLineConnectorClientTests()
    {
        var options = Options.Create(new DirectLineOptions { BotId = "hotline-bot", BotName = "HotlineBot" });
        _store = new InMemoryDirectLineStore(options, new TestClock());
        _connector = new DirectLineConnectorClient(_inner, _store, options, NullLogger<DirectLineConnectorClient>.Instance);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reply_ToTheDirectLineChannel_IsQueued_AsTheBots_InsteadOfPosted()
    {
        await _store.OpenAsync(Conversation, Cancellation);

        var response = await _connector.SendAsync(Reply("您好"), Cancellation);

        var stored = Assert.Single((await _store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities);
        Assert.Equal(stored.Id, response.Id);
        Assert.Equal("您好", stored.Text);
        Assert.Equal(RoleTypes.Bot, stored.From?.Role);
        Assert.Equal("hotline-bot", stored.From?.Id);
        Assert.Empty(_inner.Sent);
    }

    [Fact]
    public async Task Activity_ForAnotherServiceUrl_GoesOnToTheConnector()
    {
        var activity = Reply("hello");
        activity.ServiceUrl = "https://channel.example/";

        await _connector.SendAsync(activity, Cancellation);
        await _connector.DeliverAsync(activity, Cancellation);

        Assert.Equal(2, _inner.Sent.Count);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task ProactiveMessage_ToAClosedConversation_Throws_SoItsSenderCanRecordTheFailure()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _connector.DeliverAsync(Reply("工作人员回复"), Cancellation));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Null((await _connector.SendAsync(Reply("回复"), Cancellation)).Id);
    }

    [Fact]
    public async Task Typing_ReachesStreamsOnly_AndTraceIsDropped()
    {
        await _store.OpenAsync(Conversation, Cancellation);
        using var subscription = _store.Subscribe(Conversation);
        var typing = Activity.CreateTypingActivity();
        typing.ServiceUrl = DirectLineOptions.ServiceUrl;
        typing.Conversation = new ConversationAccount { Id = Conversation };
        var trace = Reply("debug");
        trace.Type = ActivityTypes.Trace;

        await _connector.SendAsync(typing, Cancellation);
        await _connector.SendAsync(trace, Cancellation);

        Assert.Equal(ActivityTypes.Typing, (await subscription.Updates.ReadAsync(Cancellation))!.Type);
        Assert.False(subscription.Updates.TryRead(out _));
        Assert.Empty((await _store.ReadAsync(Conversation, null, 10, Cancellation))!.Activities);
    }

    private static Activity Reply(string text)
    {
        var activity = Activity.CreateMessageActivity(text);
        activity.ServiceUrl = DirectLineOptions.ServiceUrl;
        activity.ChannelId = DirectLineOptions.ChannelId;
        activity.Conversation = new ConversationAccount { Id = Conversation };
        return activity;
    }

    private sealed class RecordingConnector : IConnectorClient
    {
        public List<Activity> Sent { get; } = [];

        public Task<ResourceResponse> SendAsync(Activity activity, CancellationToken cancellationToken)
        {
            Sent.Add(activity);
            return Task.FromResult(new ResourceResponse("sent"));
        }

        public Task<ResourceResponse> DeliverAsync(Activity activity, CancellationToken cancellationToken) => SendAsync(activity, cancellationToken);
    }
}
