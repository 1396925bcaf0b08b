using System.Net;
using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Cases.FollowUps;
using HotlineBot.FollowUps;

namespace HotlineBot.Tests.FollowUps;

/// <summary>How the messenger tells the delivery job a channel's refusal: for good (no retry) or for now (retry).</summary>
public sealed class BotWorkerMessengerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_ChannelThatWillNeverTakeIt_ThrowsWorkerUnreachable_WithTheChannelsReason()
    {
        var refusal = new ActivityUndeliverableException("已超过微信48小时回复时限，无法主动发送。");
        var channel = new RefusingChannel(refusal);

        var thrown = await Assert.ThrowsAsync<WorkerUnreachableException>(() =>
            new BotWorkerMessenger(channel).SendAsync("12351-20261124-0001", Worker(), Delivery(), Ct));

        Assert.Equal(refusal.Reason, thrown.Reason);
        Assert.Same(refusal, thrown.InnerException);
        Assert.Equal(1, channel.Attempts);
    }

    [Fact]
    public async Task SendAsync_ChannelFailingForNow_ThrowsItsOwnError_SoTheJobRetries()
    {
        var channel = new RefusingChannel(new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() =>
            new BotWorkerMessenger(channel).SendAsync("12351-20261124-0001", Worker(), Delivery(), Ct));

        Assert.Equal(HttpStatusCode.BadGateway, thrown.StatusCode);
    }

    private static WorkerContact Worker()
    {
        var reference = new ConversationReference
        {
            ChannelId = "wechat",
            ServiceUrl = "http://127.0.0.1:9/",
            Conversation = new ConversationAccount { Id = "openid-1" },
            User = new ChannelAccount { Id = "openid-1" },
            Bot = new ChannelAccount { Id = "gh_hotline" },
        };
        return new WorkerContact("wechat", "openid-1", JsonSerializer.Serialize(reference, ProtocolJson.Options), "职工");
    }

    private static CaseDelivery Delivery() => new()
    {
        Id = "d-1",
        Kind = DeliveryKind.Operator,
        Text = "您好，请把劳动合同拍照发给我。",
        Author = "operator-li",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A channel that refuses every message with the given error, as WeChat's send API would.</summary>
    private sealed class RefusingChannel(Exception refusal) : BotAdapter
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public override Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            throw refusal;
        }
    }
}
