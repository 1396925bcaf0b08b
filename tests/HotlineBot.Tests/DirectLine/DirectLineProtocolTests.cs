using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HotlineBot.Tests.DirectLine;

/// <summary>The Direct Line 3.0 API as Web Chat (DirectLineJS 0.15) uses it, through the real host on real Kestrel.</summary>
public sealed partial class DirectLineProtocolTests(DirectLineHostFixture fixture) : IClassFixture<DirectLineHostFixture>
{
    private const string Question = "周末加班工资怎么算";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly DirectLineClient _client = new(fixture.Host.Client);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex IsoUtc();

    [Fact]
    public async Task PageToken_StartsAConversation_WhosePostedQuestionIsEchoedAndAnswered_ByPolling()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        Assert.Equal(session.ConversationId, Uri.EscapeDataString(session.ConversationId));
        Assert.StartsWith("dl_", session.UserId, StringComparison.Ordinal);
        Assert.InRange(session.ExpiresIn, 3590, 3600);

        var started = await _client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/conversations", session.Token, new JsonObject { ["user"] = new JsonObject() }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(session.ConversationId, (string?)started.Body!["conversationId"]);
        Assert.False(string.IsNullOrEmpty((string?)started.Body["token"]));
        Assert.InRange((int)started.Body["expires_in"]!, 1, 3600);
        var streamUrl = (string)started.Body["streamUrl"]!;
        Assert.StartsWith($"ws://{fixture.Host.BaseAddress.Authority}/v3/directline/conversations/{session.ConversationId}/stream?", streamUrl, StringComparison.Ordinal);
        Assert.Contains("t=", streamUrl, StringComparison.Ordinal);

        // Starting again is no new conversation (200), and the bot does not welcome twice.
        var again = await _client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/conversations", session.Token, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, again.Status);

        var (welcome, watermark) = await _client.PollUntilAsync(session, null, a => a.Count > 0, Wait, Cancellation);
        var greeting = Assert.Single(welcome);
        Assert.Equal("bot", (string?)greeting["from"]?["role"]);
        Assert.Equal("smalltalk", DirectLineClient.Kind(greeting));
        Assert.Null(greeting["replyToId"]);

        var id = await _client.PostAsync(session, DirectLineClient.WebChatMessage(Question, "client-1"), Cancellation);
        Assert.Equal(id, Uri.EscapeDataString(id));
        var (after, _) = await _client.PollUntilAsync(session, watermark, a => a.Any(x => DirectLineClient.IsReplyTo(x, id)), Wait, Cancellation);

        var echo = Assert.Single(after, a => (string?)a["id"] == id);
        Assert.Equal("client-1", (string?)echo["channelData"]?["clientActivityID"]);
        Assert.Equal(session.UserId, (string?)echo["from"]?["id"]);
        Assert.Equal("user", (string?)echo["from"]?["role"]);
        Assert.Equal(Question, (string?)echo["text"]);
        Assert.Equal(session.ConversationId, (string?)echo["conversation"]?["id"]);
        Assert.Equal("Asia/Shanghai", (string?)echo["localTimezone"]);
        Assert.Equal("ClientCapabilities", (string?)echo["entities"]?[0]?["type"]);

        var answer = after.First(a => DirectLineClient.IsReplyTo(a, id));
        Assert.Equal("answer", DirectLineClient.Kind(answer));
        Assert.Equal("hotline-bot", (string?)answer["from"]?["id"]);
        Assert.Equal(session.ConversationId, (string?)answer["conversation"]?["id"]);
        Assert.Matches(IsoUtc(), (string?)answer["timestamp"]);
        Assert.True(Timestamp(answer) > Timestamp(echo), "the answer is ordered after the question");
        Assert.DoesNotContain(after, a => (string?)a["type"] is "typing" or "trace");
    }

    [Fact]
    public async Task Polling_PagesThroughEverything_ByWatermark_InOrder_WithoutRepeats()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        await _client.StartAsync(session.Token, Cancellation);
        var ids = new List<string>();
        foreach (var text in new[] { "你好", Question, "谢谢" })
        {
            ids.Add(await _client.PostAsync(session, DirectLineClient.WebChatMessage(text, "c-" + ids.Count), Cancellation));
        }

        // Each POST answers once its turn is over, so everything is stored by now.
        var pages = new List<List<JsonObject>>();
        string? watermark = null;
        while (true)
        {
            var response = await _client.GetActivitiesAsync(session.ConversationId, session.Token, watermark, Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            var page = response.Body!["activities"]!.AsArray().Select(a => a!.AsObject()).ToList();
            var next = (string)response.Body["watermark"]!;
            Assert.Equal(next, Uri.EscapeDataString(next));
            if (page.Count == 0)
            {
                Assert.Equal(watermark, next);
                break;
            }

            Assert.InRange(page.Count, 1, DirectLineHostFixture.PageSize);
            pages.Add(page);
            watermark = next;
        }

        var all = pages.SelectMany(p => p).ToList();
        Assert.True(pages.Count >= 3, $"{all.Count} activities in {pages.Count} pages");
        Assert.Equal(all.Count, all.Select(a => (string?)a["id"]).Distinct().Count());
        Assert.Equal(ids, all.Where(a => (string?)a["from"]?["role"] == "user").Select(a => (string)a["id"]!));
        Assert.All(ids, id => Assert.Contains(all, a => DirectLineClient.IsReplyTo(a, id)));
        var stamps = all.Select(Timestamp).ToList();
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public async Task TokenOfOneConversation_CannotReadPostOrStreamAnother()
    {
        var mine = await _client.ChatTokenAsync(Cancellation);
        var theirs = await _client.ChatTokenAsync(Cancellation);
        await _client.StartAsync(theirs.Token, Cancellation);
        var other = $"{DirectLineClient.Base}/conversations/{theirs.ConversationId}";

        var read = await _client.GetActivitiesAsync(theirs.ConversationId, mine.Token, null, Cancellation);
        var post = await _client.SendAsync(HttpMethod.Post, other + "/activities", mine.Token, DirectLineClient.WebChatMessage("偷看", "x"), Cancellation);
        var resume = await _client.SendAsync(HttpMethod.Get, other + "?watermark=", mine.Token, null, Cancellation);
        var stream = await _client.SendAsync(HttpMethod.Get, $"{other}/stream?t={mine.Token}", null, null, Cancellation);

        Assert.All([read, post, resume, stream], r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.Status);
            Assert.Equal("Forbidden", r.ErrorCode);
        });
        var (activities, _) = await _client.PollUntilAsync(theirs, null, a => a.Count > 0, Wait, Cancellation);
        Assert.DoesNotContain(activities, a => (string?)a["text"] == "偷看");
        await Assert.ThrowsAsync<WebSocketException>(() => DirectLineSocket.ConnectAsync(
            $"ws://{fixture.Host.BaseAddress.Authority}{other}/stream?t={mine.Token}", Cancellation));
    }

    [Fact]
    public async Task Stream_SendsTheBacklog_ThenTheEchoAndTheAnswer_AndKeepsTheSocketThroughEmptyPings()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        var streamUrl = (string)(await _client.StartAsync(session.Token, Cancellation))["streamUrl"]!;

        await using var socket = await DirectLineSocket.ConnectAsync(streamUrl, Cancellation);
        await socket.ReceiveUntilAsync(r => r.Any(a => DirectLineClient.Kind(a) == "smalltalk"), Wait, Cancellation);
        await socket.PingAsync(Cancellation);

        var id = await _client.PostAsync(session, DirectLineClient.WebChatMessage(Question, "client-ws"), Cancellation);
        var received = await socket.ReceiveUntilAsync(r => r.Any(a => DirectLineClient.IsReplyTo(a, id)), Wait, Cancellation);

        var echo = Assert.Single(received, a => (string?)a["id"] == id);
        Assert.Equal("client-ws", (string?)echo["channelData"]?["clientActivityID"]);
        Assert.True(received.ToList().IndexOf(echo) < received.ToList().FindIndex(a => DirectLineClient.IsReplyTo(a, id)), "the echo comes before the answer");
        var ids = received.Select(a => (string?)a["id"]).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        await socket.PingAsync(Cancellation);
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await socket.CloseAsync(Cancellation));
    }

    [Fact]
    public async Task Resume_GivesAStreamUrl_ThatReplaysOnlyWhatFollowsTheWatermark()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        await _client.StartAsync(session.Token, Cancellation);
        var first = await _client.PostAsync(session, DirectLineClient.WebChatMessage("你好", "c-1"), Cancellation);
        var (seen, watermark) = await _client.PollUntilAsync(session, null, a => a.Any(x => DirectLineClient.IsReplyTo(x, first)), Wait, Cancellation);
        var second = await _client.PostAsync(session, DirectLineClient.WebChatMessage(Question, "c-2"), Cancellation);

        var resumed = await _client.SendAsync(HttpMethod.Get, $"{DirectLineClient.Base}/conversations/{session.ConversationId}?watermark={watermark}", session.Token, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, resumed.Status);
        Assert.Equal(session.ConversationId, (string?)resumed.Body!["conversationId"]);
        Assert.False(string.IsNullOrEmpty((string?)resumed.Body["token"]));
        var streamUrl = (string)resumed.Body["streamUrl"]!;
        Assert.Contains("watermark=" + watermark, streamUrl, StringComparison.Ordinal);

        await using var socket = await DirectLineSocket.ConnectAsync(streamUrl, Cancellation);
        var replayed = await socket.ReceiveUntilAsync(r => r.Any(a => DirectLineClient.IsReplyTo(a, second)), Wait, Cancellation);

        Assert.Contains(replayed, a => (string?)a["id"] == second);
        Assert.DoesNotContain(replayed, a => seen.Exists(s => (string?)s["id"] == (string?)a["id"]));
    }

    [Fact]
    public async Task MissingCredentials_Are401_AndCredentialsThatAreNotValidHere_Are403()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        var activities = $"{DirectLineClient.Base}/conversations/{session.ConversationId}/activities";
        var parts = session.Token.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{new string(parts[2].Reverse().ToArray())}";

        var none = await _client.SendAsync(HttpMethod.Get, activities, null, null, Cancellation);
        var basic = await _client.SendAsync(HttpMethod.Get, activities, "dXNlcjpwYXNz", null, Cancellation, scheme: "Basic");
        var garbage = await _client.SendAsync(HttpMethod.Get, activities, "not-a-token", null, Cancellation);
        var forged = await _client.SendAsync(HttpMethod.Get, activities, tampered, null, Cancellation);
        var secretHere = await _client.SendAsync(HttpMethod.Get, activities, DirectLineHostFixture.Secret, null, Cancellation);
        var tokenForGenerate = await _client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/tokens/generate", session.Token, null, Cancellation);
        var streamWithout = await _client.SendAsync(HttpMethod.Get, $"{DirectLineClient.Base}/conversations/{session.ConversationId}/stream", null, null, Cancellation);

        Assert.All([none, basic, streamWithout], r =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
            Assert.Equal("Unauthorized", r.ErrorCode);
        });
        Assert.All([garbage, forged], r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.Status);
            Assert.Equal("TokenInvalid", r.ErrorCode);
        });
        Assert.All([secretHere, tokenForGenerate], r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.Status);
            Assert.Equal("Forbidden", r.ErrorCode);
        });
    }

    [Fact]
    public async Task Refresh_GivesATokenForTheSameConversation_ThatWorks()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        await _client.StartAsync(session.Token, Cancellation);

        var refreshed = await _client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/tokens/refresh", session.Token, null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(session.ConversationId, (string?)refreshed.Body!["conversationId"]);
        Assert.InRange((int)refreshed.Body["expires_in"]!, 3590, 3600);
        var renewed = session with { Token = (string)refreshed.Body["token"]! };
        var id = await _client.PostAsync(renewed, DirectLineClient.WebChatMessage("你好", "after-refresh"), Cancellation);
        var (activities, _) = await _client.PollUntilAsync(renewed, null, a => a.Any(x => DirectLineClient.IsReplyTo(x, id)), Wait, Cancellation);
        Assert.Equal(session.UserId, (string?)activities.Single(a => (string?)a["id"] == id)["from"]?["id"]);
    }

    [Fact]
    public async Task Secret_GeneratesTokensAndStartsConversations_ForServerToServerUse()
    {
        var generated = await _client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/tokens/generate", DirectLineHostFixture.Secret,
            new JsonObject { ["user"] = new JsonObject { ["id"] = "dl_partner-42", ["name"] = "合作方" } }, Cancellation);
        var started = await _client.SendAsync(HttpMethod.Post, DirectLineClient.Base + "/conversations", DirectLineHostFixture.Secret, null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, generated.Status);
        Assert.Null(generated.Body!["streamUrl"]);
        Assert.InRange((int)generated.Body["expires_in"]!, 3590, 3600);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.NotEqual((string?)generated.Body["conversationId"], (string?)started.Body!["conversationId"]);
        Assert.NotNull((string?)started.Body["streamUrl"]);

        // The generated token is for its own conversation and user: that is whom its messages come from.
        var session = new ChatSession((string)generated.Body["token"]!, (string)generated.Body["conversationId"]!, 0, "dl_partner-42");
        await _client.StartAsync(session.Token, Cancellation);
        var id = await _client.PostAsync(session, DirectLineClient.WebChatMessage("你好", "partner"), Cancellation);
        var (activities, _) = await _client.PollUntilAsync(session, null, a => a.Any(x => DirectLineClient.IsReplyTo(x, id)), Wait, Cancellation);
        Assert.Equal("dl_partner-42", (string?)activities.Single(a => (string?)a["id"] == id)["from"]?["id"]);
    }

    [Fact]
    public async Task MalformedOrOversizedActivities_AreRefused_WithoutAnEcho()
    {
        var session = await _client.ChatTokenAsync(Cancellation);
        await _client.StartAsync(session.Token, Cancellation);
        var activities = $"{DirectLineClient.Base}/conversations/{session.ConversationId}/activities";

        var noType = await _client.SendAsync(HttpMethod.Post, activities, session.Token, new JsonObject { ["text"] = "hi" }, Cancellation);
        var joined = await _client.SendAsync(HttpMethod.Post, activities, session.Token, new JsonObject { ["type"] = "conversationUpdate" }, Cancellation);
        var huge = await _client.SendAsync(HttpMethod.Post, activities, session.Token, DirectLineClient.WebChatMessage(new string('长', 200_000), "big"), Cancellation);
        // A chat message, not a file: 36 KB of text is over the Direct Line limit (32 KiB) though far under the Bot Framework endpoint's.
        var tooLong = await _client.SendAsync(HttpMethod.Post, activities, session.Token, DirectLineClient.WebChatMessage(new string('长', 12_000), "long"), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, noType.Status);
        Assert.Equal(HttpStatusCode.BadRequest, joined.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.Status);
        var (stored, _) = await _client.PollUntilAsync(session, null, a => a.Count > 0, Wait, Cancellation);
        Assert.DoesNotContain(stored, a => (string?)a["from"]?["role"] == "user");
    }

    private static DateTimeOffset Timestamp(JsonObject activity) =>
        DateTimeOffset.Parse((string)activity["timestamp"]!, CultureInfo.InvariantCulture);
}
