using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Casework;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Curation;

/// <summary>
/// The unanswered inbox through the real host: workers talk through /api/messages (normal delivery, so
/// their conversation references are stored and later answers reach the test channel), an admin reads,
/// notifies and resolves through /api/knowledge/unanswered.
/// </summary>
public sealed class UnansweredApiTests : IDisposable
{
    private const string Inbox = "/api/knowledge/unanswered";

    /// <summary>Variants of one question the knowledge base has no answer for.</summary>
    private static readonly string[] HousingFundFallbacks = ["公积金没交可以投诉吗", "公积金没交能投诉吗", "公积金不交可以投诉吗", "公积金没交可以投诉吗？"];

    /// <summary>One more variant, asked by a worker whose channel keeps no conversation reference.</summary>
    private const string Unreachable = "公积金没交找谁投诉";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Inbox_GroupsVariants_WithNoneOfTheseAndNotSolved_ThenNotifiesOptedInWorkersOnce_AndResolveEmptiesIt()
    {
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, new Dictionary<string, string?>(), Cancellation);

        // Several workers ask variants the knowledge base cannot answer; the first asks to hear of an answer.
        var optedIn = BotClient.NewConversationId();
        await SayAsync(host, optedIn, HousingFundFallbacks[0], "fallback");
        await SayAsync(host, optedIn, "有答案时告诉我", "smalltalk");
        foreach (var text in HousingFundFallbacks.Skip(1))
        {
            await SayAsync(host, BotClient.NewConversationId(), text, "fallback");
        }

        // One presses 都不是 on did-you-mean; one presses 没解决 on an answer (and opts in after the handoff is called off).
        var noneOfThese = BotClient.NewConversationId();
        await SayAsync(host, noneOfThese, "公司不交公积金可以投诉吗", "clarify");
        await SayAsync(host, noneOfThese, "都不是", "fallback");
        var notSolved = BotClient.NewConversationId();
        var answered = await SayAsync(host, notSolved, "公积金断缴了怎么投诉", "answer");
        var entryId = (string)answered["channelData"]!["hotline"]!["entryId"]!;
        await SayAsync(host, notSolved, "没解决", "handoff");
        await SayAsync(host, notSolved, "取消", "handoff");
        await SayAsync(host, notSolved, "有答案时告诉我", "smalltalk");

        // A worker on a channel that keeps no conversation reference (expectReplies) opts in too: that send fails.
        var unreachable = BotClient.NewConversationId();
        Assert.Equal("fallback", BotClient.Kind(Assert.Single(await host.SayAsync(unreachable, Unreachable, Cancellation))));
        await host.SayAsync(unreachable, "有答案时告诉我", Cancellation);

        // Another topic stays apart.
        await SayAsync(host, BotClient.NewConversationId(), "宿舍停电了找谁", "fallback");

        var (status, inbox) = await host.ApiAsync(HttpMethod.Get, Inbox, host.AdminToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, status);
        var items = inbox!["items"]!.AsArray();
        Assert.Equal(items.Count, (int)inbox["total"]!);
        var group = items[0]!;
        var described = group.ToJsonString();
        Assert.True((int)group["count"]! == 7, described);
        Assert.True((int)group["sources"]!["fallback"]! == 5, described);
        Assert.True((int)group["sources"]!["noneOfThese"]! == 1, described);
        Assert.True((int)group["sources"]!["notSolved"]! == 1, described);
        Assert.Equal(3, (int)group["optedIn"]!);
        var examples = group["examples"]!.AsArray().Select(e => (string?)e).ToList();
        Assert.Equal(5, examples.Count);
        Assert.Equal(5, examples.Distinct().Count());
        Assert.Equal("公积金没交可以投诉吗？", (string?)group["wording"]);
        Assert.Equal((string?)group["wording"], examples[0]);
        Assert.True(DateTimeOffset.Parse((string)group["firstAt"]!, CultureInfo.InvariantCulture) <= DateTimeOffset.Parse((string)group["lastAt"]!, CultureInfo.InvariantCulture));
        Assert.Contains(items, i => (string?)i!["wording"] == "宿舍停电了找谁" && (int)i["count"]! == 1);
        var groupId = (string)group["id"]!;

        // Notify: the two reachable workers get the bot's answer in their own chat, the unreachable one is counted as failed.
        var (notifyStatus, notified) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/notify", host.AdminToken, new { entryId }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, notifyStatus);
        Assert.Equal(2, (int)notified!["sent"]!);
        Assert.Equal(1, (int)notified["failed"]!);
        Assert.Equal(0, (int)notified["alreadySent"]!);
        foreach (var conversation in new[] { optedIn, notSolved })
        {
            var post = Assert.Single(await host.Channel.WaitForAsync(
                p => p.ConversationId == conversation && (string?)p.Activity["channelData"]?["hotline"]?["entryId"] == entryId
                    && ((string?)p.Activity["text"])?.StartsWith("你之前问过", StringComparison.Ordinal) == true,
                Wait, Cancellation));
            Assert.Equal("answer", BotClient.Kind(post.Activity));
            Assert.Equal("bot", (string?)post.Activity["from"]!["role"]);
        }

        // A second notify sends nobody the answer twice (the unreachable worker is tried again).
        var (_, again) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/notify", host.AdminToken, new { entryId }, Cancellation);
        Assert.Equal(0, (int)again!["sent"]!);
        Assert.Equal(2, (int)again["alreadySent"]!);
        Assert.Equal(1, (int)again["failed"]!);
        Assert.Single(host.Channel.Received, p => p.ConversationId == optedIn && (string?)p.Activity["channelData"]?["hotline"]?["kind"] == "answer");

        // Resolve: the group leaves the inbox; the same question asked again afterwards comes back.
        var (resolveStatus, resolved) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/resolve", host.AdminToken, new { entryId }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, resolveStatus);
        Assert.Equal(7, (int)resolved!["resolved"]!);
        var (_, after) = await host.ApiAsync(HttpMethod.Get, Inbox, host.AdminToken, null, Cancellation);
        Assert.DoesNotContain(after!["items"]!.AsArray(), i => (string?)i!["id"] == groupId);
        Assert.DoesNotContain(after["items"]!.AsArray(), i => ((string?)i!["wording"])?.Contains("公积金", StringComparison.Ordinal) == true);
        var (resolveAgain, _) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/resolve", host.AdminToken, new { entryId }, Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, resolveAgain);

        await SayAsync(host, BotClient.NewConversationId(), HousingFundFallbacks[0], "fallback");
        var (_, returned) = await host.ApiAsync(HttpMethod.Get, Inbox, host.AdminToken, null, Cancellation);
        Assert.Contains(returned!["items"]!.AsArray(), i => (string?)i!["id"] == groupId && (int)i["count"]! == 1);
    }

    [Fact]
    public async Task Inbox_IsForAdminsOnly_AndAnswersErrorsInTheApiShape()
    {
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, new Dictionary<string, string?>(), Cancellation);
        await SayAsync(host, BotClient.NewConversationId(), "宿舍停电了找谁", "fallback");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ApiAsync(HttpMethod.Get, Inbox, null, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ApiAsync(HttpMethod.Get, Inbox, host.OperatorToken, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ApiAsync(HttpMethod.Post, $"{Inbox}/abc/notify", host.OperatorToken, new { entryId = "x" }, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ApiAsync(HttpMethod.Post, $"{Inbox}/abc/resolve", null, new { entryId = "x" }, Cancellation)).Status);

        var (_, inbox) = await host.ApiAsync(HttpMethod.Get, $"{Inbox}?days=7", host.AdminToken, null, Cancellation);
        var groupId = (string)inbox!["items"]![0]!["id"]!;
        var answered = await SayAsync(host, BotClient.NewConversationId(), "加班费怎么算", "answer");
        var published = (string)answered["channelData"]!["hotline"]!["entryId"]!;

        var (unknown, unknownBody) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/0000000000000000/resolve", host.AdminToken, new { entryId = published }, Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("not_found", (string?)unknownBody!["error"]);
        Assert.False(string.IsNullOrEmpty((string?)unknownBody["message"]));

        var (unpublished, unpublishedBody) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/notify", host.AdminToken, new { entryId = "no-such-entry" }, Cancellation);
        Assert.Equal(HttpStatusCode.Conflict, unpublished);
        Assert.Equal("not_published", (string?)unpublishedBody!["error"]);

        var (missing, missingBody) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/resolve", host.AdminToken, new { }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal("missing_entry_id", (string?)missingBody!["error"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await host.ApiAsync(HttpMethod.Get, $"{Inbox}?days=0", host.AdminToken, null, Cancellation)).Status);

        // Nobody opted in: notify sends nothing, and says so.
        var (notifyStatus, notified) = await host.ApiAsync(HttpMethod.Post, $"{Inbox}/{groupId}/notify", host.AdminToken, new { entryId = published }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, notifyStatus);
        Assert.Equal(0, (int)notified!["sent"]! + (int)notified["failed"]! + (int)notified["alreadySent"]!);
    }

    /// <summary>One worker turn by normal delivery (the reply reaches the channel, the conversation reference is stored); the reply.</summary>
    private static async Task<JsonObject> SayAsync(CaseworkHost host, string conversationId, string text, string expectedKind)
    {
        var incoming = BotClient.Message(text, conversationId, host.Channel.ServiceUrl, expectReplies: false);
        var incomingId = (string)incoming["id"]!;
        using (var response = await BotClient.PostAsync(host.Host.Client, incoming, Cancellation))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var replies = await host.Channel.WaitForAsync(
            p => p.ConversationId == conversationId && p.ReplyToId == incomingId && (string?)p.Activity["type"] == "message", Wait, Cancellation);
        var reply = Assert.Single(replies).Activity;
        Assert.True(BotClient.Kind(reply) == expectedKind, $"“{text}” got {BotClient.Kind(reply)}: {reply["text"]}");
        return reply;
    }
}
