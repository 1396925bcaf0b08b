using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Casework;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.DirectLine;

/// <summary>Messages the bot sends later (an operator's reply) reach a Direct Line conversation's stream, through the real host and its follow-up jobs.</summary>
public sealed class DirectLineProactiveTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task OperatorReply_ToACaseOpenedInWebChat_ArrivesInItsStream()
    {
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, CaseworkHost.FastFollowUps(TimeSpan.FromHours(1)), Cancellation);
        var client = new DirectLineClient(host.Host.Client);
        var session = await client.ChatTokenAsync(Cancellation);
        var streamUrl = (string)(await client.StartAsync(session.Token, Cancellation))["streamUrl"]!;
        await using var socket = await DirectLineSocket.ConnectAsync(streamUrl, Cancellation);

        // The worker asks for a person and answers the handoff's questions, as in the page.
        string? caseId = null;
        var step = 0;
        foreach (var text in new[] { "转人工", "公司拖欠三个月工资不发", "13812348000", "工作日下午", "是" })
        {
            var id = await client.PostAsync(session, DirectLineClient.WebChatMessage(text, "step-" + step++), Cancellation);
            var received = await socket.ReceiveUntilAsync(r => r.Any(a => DirectLineClient.IsReplyTo(a, id)), Wait, Cancellation);
            caseId = received.Where(a => DirectLineClient.IsReplyTo(a, id)).Select(a => (string?)a["channelData"]?["hotline"]?["caseId"]).LastOrDefault(c => c is not null) ?? caseId;
        }

        Assert.False(string.IsNullOrEmpty(caseId), "the confirmation carries the case number");
        var (claimed, _) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.AdminToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, claimed);
        var (sent, accepted) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.AdminToken, new { text = "您好，我是工会的工作人员，欠薪是从几月开始的？" }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, sent);

        var all = await socket.ReceiveUntilAsync(r => r.Any(a => DirectLineClient.Kind(a) == "operator"), Wait, Cancellation);
        var reply = all.Single(a => DirectLineClient.Kind(a) == "operator");
        Assert.Contains("欠薪是从几月开始的", (string?)reply["text"], StringComparison.Ordinal);
        Assert.Equal(caseId, (string?)reply["channelData"]?["hotline"]?["caseId"]);
        Assert.Equal("bot", (string?)reply["from"]?["role"]);
        Assert.Equal(session.ConversationId, (string?)reply["conversation"]?["id"]);
        // Nothing to wait for: a replyToId would make Web Chat hold the message back for an activity it never gets.
        Assert.True(reply["replyToId"] is null || all.Any(a => (string?)a["id"] == (string?)reply["replyToId"]), reply.ToJsonString());

        // The operator sees it delivered; a page that polls instead of streaming gets it too.
        var deliveryId = (string?)accepted!["deliveryId"];
        var detail = await host.WaitForCaseAsync(caseId!, c => Delivery(c, deliveryId) == "delivered", Wait, Cancellation);
        Assert.Equal("delivered", Delivery(detail, deliveryId));
        var (polled, _) = await client.PollUntilAsync(session, null, a => a.Any(x => DirectLineClient.Kind(x) == "operator"), Wait, Cancellation);
        Assert.Single(polled, a => DirectLineClient.Kind(a) == "operator");
    }

    private static string? Delivery(JsonNode detail, string? deliveryId) =>
        (string?)detail["deliveries"]?.AsArray().FirstOrDefault(d => (string?)d!["id"] == deliveryId)?["state"];
}
