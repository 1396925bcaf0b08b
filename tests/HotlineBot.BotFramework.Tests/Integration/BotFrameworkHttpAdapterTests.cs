using System.Net;
using System.Net.Http.Json;
using System.Text;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Tests.Integration;

public sealed class BotFrameworkHttpAdapterTests(ChannelFixture channel) : IClassFixture<ChannelFixture>
{
    private Activity Message(string text, string? deliveryMode = null) => new()
    {
        Type = ActivityTypes.Message,
        Id = "act-" + Guid.NewGuid().ToString("n")[..8],
        ChannelId = "directline",
        ServiceUrl = channel.ChannelUrl.ToString(),
        From = new ChannelAccount { Id = "worker-1", Role = RoleTypes.User },
        Recipient = new ChannelAccount { Id = "hotline-bot", Role = RoleTypes.Bot },
        Conversation = new ConversationAccount { Id = "conv-" + Guid.NewGuid().ToString("n")[..8] },
        Text = text,
        DeliveryMode = deliveryMode,
    };

    private Task<HttpResponseMessage> PostAsync(object body) =>
        channel.Http.PostAsJsonAsync(new Uri(channel.BotUrl, "/api/messages"), body, ProtocolJson.Options, TestContext.Current.CancellationToken);

    [Fact]
    public async Task ExpectReplies_ReturnsTheRepliesInTheBody_AndSendsNothingToTheChannel()
    {
        var before = channel.Received.Count;

        using var response = await PostAsync(Message("你好", DeliveryModes.ExpectReplies));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<ExpectedReplies>(ProtocolJson.Options, TestContext.Current.CancellationToken);
        Assert.Equal(["echo: 你好", "done"], body!.Activities.Select(a => a.Text));
        Assert.All(body.Activities, a => Assert.Equal(ActivityTypes.Message, a.Type));
        Assert.Equal(before, channel.Received.Count);
    }

    [Fact]
    public async Task NormalDelivery_PostsRepliesToTheServiceUrl_UnderTheActivityTheyAnswer()
    {
        var message = Message("加班费");

        using var response = await PostAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = channel.Received.Where(r => r.Activity.Conversation?.Id == message.Conversation!.Id).ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.Equal($"/v3/conversations/{message.Conversation!.Id}/activities/{message.Id}", r.Path));
        Assert.Equal(ActivityTypes.Typing, sent[0].Activity.Type);
        var echo = sent[1].Activity;
        Assert.Equal("echo: 加班费", echo.Text);
        Assert.Equal(message.Id, echo.ReplyToId);
        Assert.Equal("hotline-bot", echo.From?.Id);
        Assert.Equal(RoleTypes.Bot, echo.From?.Role);
        Assert.Equal("worker-1", echo.Recipient?.Id);
        Assert.NotNull(echo.Timestamp);
    }

    [Fact]
    public async Task NormalDelivery_RetriesAFailingChannel_AndStillAnswers200()
    {
        var message = Message("重试");
        channel.FailuresBeforeSuccess = 1;

        using var response = await PostAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(channel.Received, r => r.Activity.Conversation?.Id == message.Conversation!.Id && r.Activity.Text == "echo: 重试");
    }

    [Fact]
    public async Task ProactiveMessage_ReachesTheConversation_AndAFailingChannelThrowsToTheSender()
    {
        var reference = Message("之前的消息").GetConversationReference();
        var ct = TestContext.Current.CancellationToken;

        await channel.Adapter.ContinueConversationAsync(reference, (turn, token) => turn.SendActivityAsync("工作人员的回复", token), ct);

        var sent = Assert.Single(channel.Received, r => r.Activity.Conversation?.Id == reference.Conversation!.Id);
        Assert.Equal("工作人员的回复", sent.Activity.Text);

        // One attempt, no silent retries: the sender records the failure and retries on its own schedule.
        channel.FailuresBeforeSuccess = 1;
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() =>
            channel.Adapter.ContinueConversationAsync(reference, (turn, token) => turn.SendActivityAsync("第二条", token), ct));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(0, channel.FailuresBeforeSuccess);
        Assert.DoesNotContain(channel.Received, r => r.Activity.Text == "第二条");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"message\",\"text\":\"no conversation\",\"serviceUrl\":\"http://127.0.0.1:9/\"}")]
    [InlineData("{\"conversation\":{\"id\":\"c\"},\"serviceUrl\":\"http://127.0.0.1:9/\"}")]
    [InlineData("{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},\"text\":\"no serviceUrl\"}")]
    [InlineData("{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},\"timestamp\":\"yesterday\",\"serviceUrl\":\"http://127.0.0.1:9/\"}")]
    [InlineData("")]
    public async Task MalformedActivity_Gets400_WithAReason(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await channel.Http.PostAsync(new Uri(channel.BotUrl, "/api/messages"), content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("message", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedActivity_Gets413()
    {
        using var response = await PostAsync(Message(new string('欠', 40_000), DeliveryModes.ExpectReplies));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_Gets405()
    {
        using var response = await channel.Http.GetAsync(new Uri(channel.BotUrl, "/api/messages"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
