using System.Net;

namespace HotlineBot.Tests.Integration;

/// <summary>Normal delivery: the HTTP response is a bare 200 and the replies go to the channel's serviceUrl (a real Kestrel "channel").</summary>
public sealed class NormalDeliveryTests(HotlineHostFixture fixture, ChannelServer channel)
    : IClassFixture<HotlineHostFixture>, IClassFixture<ChannelServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Message_Answers200_AndPostsTheAnswerToTheChannel_UnderTheActivityItAnswers()
    {
        var conversationId = BotClient.NewConversationId();
        var incoming = BotClient.Message("周末加班工资怎么算", conversationId, channel.ServiceUrl, expectReplies: false);
        var incomingId = (string)incoming["id"]!;

        using var response = await BotClient.PostAsync(fixture.Host.Client, incoming, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var posts = await channel.WaitForAsync(
            p => p.ConversationId == conversationId && (string?)p.Activity["type"] == "message", Patience, Cancellation);
        var post = Assert.Single(posts);
        Assert.Equal(incomingId, post.ReplyToId);
        Assert.Equal("answer", BotClient.Kind(post.Activity));
        Assert.Contains("200%", (string?)post.Activity["text"], StringComparison.Ordinal);
        BotClient.AssertReplyEnvelope(post.Activity, incoming);
    }

    [Fact]
    public async Task ConversationUpdate_PostsTheWelcomeToTheChannel()
    {
        var conversationId = BotClient.NewConversationId();
        var incoming = BotClient.MembersAdded(conversationId, channel.ServiceUrl, expectReplies: false);

        using var response = await BotClient.PostAsync(fixture.Host.Client, incoming, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var posts = await channel.WaitForAsync(
            p => p.ConversationId == conversationId && (string?)p.Activity["type"] == "message", Patience, Cancellation);
        var welcome = Assert.Single(posts);
        Assert.Equal((string)incoming["id"]!, welcome.ReplyToId);
        Assert.Equal("smalltalk", BotClient.Kind(welcome.Activity));
        BotClient.AssertReplyEnvelope(welcome.Activity, incoming);
    }

    [Fact]
    public async Task ExpectReplies_SendsNothingToTheServiceUrl_NotEvenTyping()
    {
        var conversationId = BotClient.NewConversationId();
        var incoming = BotClient.Message("周末加班工资怎么算", conversationId, channel.ServiceUrl, expectReplies: true);

        var replies = await BotClient.ExchangeAsync(fixture.Host.Client, incoming, Cancellation);

        Assert.Contains(replies, r => BotClient.Kind(r) == "answer");
        var posts = await channel.WaitForAsync(p => p.ConversationId == conversationId, TimeSpan.FromMilliseconds(500), Cancellation);
        Assert.Empty(posts);
    }
}
