using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.Integration;

/// <summary>The real host over HTTP: /healthz, and /api/messages with deliveryMode expectReplies (replies in the response body).</summary>
public sealed class MessagesEndpointTests(HotlineHostFixture fixture) : IClassFixture<HotlineHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Healthz_AnswersOkWithStatusOk_OnceStarted()
    {
        using var response = await Client.GetAsync(new Uri("/healthz", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("ok", (string?)body?["status"]);
    }

    [Fact]
    public async Task ExpectReplies_AnswersWeekendOvertimeQuestion_WithEntryConfidenceAnd200Percent()
    {
        var incoming = BotClient.Message("周末加班工资怎么算", BotClient.NewConversationId());

        var replies = await BotClient.ExchangeAsync(Client, incoming, Cancellation);

        var answer = Assert.Single(replies, r => BotClient.Kind(r) == "answer");
        var hotline = answer["channelData"]!["hotline"]!;
        Assert.False(string.IsNullOrWhiteSpace((string?)hotline["entryId"]), answer.ToJsonString());
        var confidence = (double?)hotline["confidence"];
        Assert.NotNull(confidence);
        Assert.InRange(confidence.Value, 0, 1);
        Assert.Contains("200%", (string?)answer["text"], StringComparison.Ordinal);
        Assert.All(BotClient.Messages(replies), r => BotClient.AssertReplyEnvelope(r, incoming));
    }

    [Fact]
    public async Task ExpectReplies_PutsEmergencyFirst_With119InTheFirstLine_ForAFireWithPeopleInside()
    {
        var incoming = BotClient.Message("仓库起火了里面还有人", BotClient.NewConversationId());

        var replies = await BotClient.ExchangeAsync(Client, incoming, Cancellation);

        var messages = BotClient.Messages(replies);
        Assert.NotEmpty(messages);
        var first = messages[0];
        Assert.Equal("emergency", BotClient.Kind(first));
        var firstLine = ((string?)first["text"] ?? string.Empty).Split('\n')[0];
        Assert.Contains("119", firstLine, StringComparison.Ordinal);
        Assert.All(BotClient.Messages(replies), r => BotClient.AssertReplyEnvelope(r, incoming));
    }

    [Theory]
    [InlineData("明天天气怎么样")]
    [InlineData("淘宝买的鞋子怎么退货")]
    [InlineData("离婚孩子抚养权归谁")]
    public async Task ExpectReplies_GivesNoAnswerKind_ForOutOfScopeQuestion(string question)
    {
        var incoming = BotClient.Message(question, BotClient.NewConversationId());

        var replies = await BotClient.ExchangeAsync(Client, incoming, Cancellation);

        Assert.NotEmpty(replies);
        Assert.DoesNotContain(replies, r => BotClient.Kind(r) == "answer");
        Assert.All(BotClient.Messages(replies), r => BotClient.AssertReplyEnvelope(r, incoming));
    }

    [Fact]
    public async Task ExpectReplies_WelcomesTheUser_WithSmalltalkKindAndSuggestedActions_WhenMembersAreAdded()
    {
        var incoming = BotClient.MembersAdded(BotClient.NewConversationId());

        var replies = await BotClient.ExchangeAsync(Client, incoming, Cancellation);

        // The bot itself is among the members added; only the user is welcomed.
        var welcome = Assert.Single(BotClient.Messages(replies));
        Assert.Equal("smalltalk", BotClient.Kind(welcome));
        Assert.False(string.IsNullOrWhiteSpace((string?)welcome["text"]));
        var actions = welcome["suggestedActions"]?["actions"] as JsonArray;
        Assert.NotNull(actions);
        Assert.NotEmpty(actions);
        BotClient.AssertReplyEnvelope(welcome, incoming);
    }

    [Fact]
    public async Task Messages_Answers400_ForMalformedJson()
    {
        using var response = await BotClient.PostRawAsync(Client, """{"type": "message", "text": "加班费""", Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Messages_Answers413_ForA300KilobyteActivity()
    {
        var incoming = BotClient.Message(new string('a', 300 * 1024), BotClient.NewConversationId());

        using var response = await BotClient.PostAsync(Client, incoming, Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Messages_Answers413_ForA300KilobyteActivity_SentChunkedWithoutContentLength()
    {
        var incoming = BotClient.Message(new string('工', 100 * 1024), BotClient.NewConversationId());
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(incoming.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, BotClient.MessagesPath) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Messages_AnswersGetWith405Or404_NotAServerError()
    {
        using var response = await Client.GetAsync(BotClient.MessagesPath, Cancellation);

        Assert.True(
            response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound,
            $"GET /api/messages answered HTTP {(int)response.StatusCode}");
    }
}
