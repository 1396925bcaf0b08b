using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HotlineBot.Tests.Alerts;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.WeChat;

/// <summary>
/// What reaches a WeChat follower outside the push's own HTTP response, through real Kestrel and the fake WeChat API:
/// a slow turn's reply, an operator's reply and the survey as customer-service messages, the access token renewed when
/// WeChat rejects it, and what happens outside the 48-hour window or past the quota.
/// </summary>
public sealed partial class WeChatDeliveryTests : IDisposable
{
    private const string CustomSend = "/cgi-bin/message/custom/send";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task SlowTurn_IsAnsweredSuccessAtOnce_AndItsReplyFollowsAsACustomerServiceMessage()
    {
        // A budget of zero: every turn is "slow", so the reply must take the customer-service path.
        await using var host = await WeChatHost.StartAsync(_dataDirectory, Cancellation, new Dictionary<string, string?> { ["Hotline:WeChat:ReplyBudget"] = "00:00:00" });

        var passive = await host.SayAsync("o_slow", "周末加班工资怎么算", Cancellation);

        Assert.Null(passive);
        var sent = Assert.Single(await host.WaitForCustomTextsAsync("o_slow", 1, Wait, Cancellation));
        Assert.Contains("200%", sent, StringComparison.Ordinal);
        Assert.Equal(1, host.WeChat.TokenFetches);
    }

    [Fact]
    public async Task HandoffFromWeChat_OperatorReplyAndSurveyArriveAsCustomerServiceMessages_AndTheScoreClosesTheCase()
    {
        await using var robot = await WeComRobotServer.StartAsync();
        await using var host = await WeChatHost.StartAsync(_dataDirectory, Cancellation, new Dictionary<string, string?> { ["Hotline:Alerts:WeComRobotUrl"] = robot.Url.ToString() });
        const string OpenId = "o_handoff";
        var caseId = await OpenCaseAsync(host, OpenId);

        // Operators hear of it in their WeCom group too.
        Assert.NotEmpty(await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal), Wait, Cancellation));

        await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.Casework.OperatorToken, null, Cancellation);
        var sentAt = Stopwatch.GetTimestamp();
        var (status, _) = await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.Casework.OperatorToken, new { text = "你好，我是工会工作人员，请问欠薪是从哪个月开始的？" }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var texts = await host.WaitForCustomTextsAsync(OpenId, 1, Wait, Cancellation);
        Timings.Report(string.Create(CultureInfo.InvariantCulture, $"operator reply -> WeChat customer-service message: {Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds:0.0} ms"));
        Assert.Contains("欠薪是从哪个月开始的", Assert.Single(texts), StringComparison.Ordinal);
        Assert.Equal("delivered", (await DeliveriesAsync(host, caseId, d => (string?)d["kind"] == "operator"))[0]["state"]!.GetValue<string>());

        // The worker answers in WeChat: relayed to the operator, who resolves; the survey follows.
        Assert.NotNull(await host.SayAsync(OpenId, "从今年三月开始的", Cancellation));
        await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/resolve", host.Casework.OperatorToken, new { resolution = "已联系劳动监察大队，企业承诺本周补发工资" }, Cancellation);
        var afterResolve = await host.WaitForCustomTextsAsync(OpenId, 3, Wait, Cancellation);
        Assert.Contains(afterResolve, t => t.Contains("企业承诺本周补发工资", StringComparison.Ordinal));
        var survey = Assert.Single(afterResolve, t => t.Contains("打个分", StringComparison.Ordinal));
        Assert.DoesNotContain("回复数字选择", survey, StringComparison.Ordinal);

        var thanks = await host.SayAsync(OpenId, "5", Cancellation);
        Assert.Contains("谢谢", thanks, StringComparison.Ordinal);
        var closed = await host.Casework.WaitForCaseAsync(caseId, c => (string?)c["status"] == "closed", Wait, Cancellation);
        Assert.Equal("closed", (string?)closed["status"]);
        Assert.Equal(5, (int?)closed["survey"]?["score"]);
    }

    [Fact]
    public async Task RejectedAccessToken_IsRenewedOnce_AndTheMessageSentOnce()
    {
        await using var host = await WeChatHost.StartAsync(_dataDirectory, Cancellation);
        const string OpenId = "o_token";
        var caseId = await OpenCaseAsync(host, OpenId);
        await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.Casework.OperatorToken, null, Cancellation);
        await ReplyAsync(host, caseId, "第一条回复");
        await host.WaitForCustomTextsAsync(OpenId, 1, Wait, Cancellation);
        var fetchesBefore = host.WeChat.TokenFetches;

        host.WeChat.ExpireCurrentToken();
        await ReplyAsync(host, caseId, "令牌过期后的回复");
        var afterExpiry = await host.WaitForCustomTextsAsync(OpenId, 2, Wait, Cancellation);

        host.WeChat.FailNext(1, 40001);
        await ReplyAsync(host, caseId, "凭证无效后的回复");
        var afterInvalid = await host.WaitForCustomTextsAsync(OpenId, 3, Wait, Cancellation);

        Assert.Single(afterExpiry, t => t.Contains("令牌过期后的回复", StringComparison.Ordinal));
        Assert.Single(afterInvalid, t => t.Contains("凭证无效后的回复", StringComparison.Ordinal));
        var refused = host.WeChat.CallsTo(CustomSend).Where(c => c.ErrorCode != 0).Select(c => c.ErrorCode).ToList();
        Assert.Equal([42001, 40001], refused);
        Assert.Equal(fetchesBefore + 2, host.WeChat.TokenFetches);
        Assert.All(await DeliveriesAsync(host, caseId, d => (string?)d["kind"] == "operator"), d => Assert.Equal("delivered", (string?)d["state"]));
    }

    [Fact]
    public async Task OutsideThe48HourWindow_WithoutATemplate_TheDeliveryIsUndeliverableOnTheCase_AndNotRetried()
    {
        await using var host = await WeChatHost.StartAsync(_dataDirectory, Cancellation);
        const string OpenId = "o_outside";
        var caseId = await OpenCaseAsync(host, OpenId);
        await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.Casework.OperatorToken, null, Cancellation);
        host.WeChat.PutOutsideWindow(OpenId);

        var deliveryId = await ReplyAsync(host, caseId, "请问你方便接电话吗？");

        var detail = await host.Casework.WaitForCaseAsync(caseId, c => Delivery(c, deliveryId)?["state"]?.GetValue<string>() == "undeliverable", Wait, Cancellation);
        var delivery = Delivery(detail, deliveryId)!;
        Assert.Equal("undeliverable", (string?)delivery["state"]);
        Assert.Contains("48小时", (string?)delivery["lastError"], StringComparison.Ordinal);
        Assert.Contains(detail["history"]!.AsArray(), e => (string?)e!["action"] == "delivery-undeliverable");
        Assert.Single(host.WeChat.CallsTo(CustomSend), c => c.ErrorCode == 45015);

        // Nothing tries again later.
        await Task.Delay(TimeSpan.FromSeconds(2), Cancellation);
        Assert.Single(host.WeChat.CallsTo(CustomSend), c => c.ErrorCode == 45015);
        var (_, feed) = await host.Casework.ApiAsync(HttpMethod.Get, "/api/notifications?after=0", host.Casework.OperatorToken, null, Cancellation);
        Assert.Contains(feed!["items"]!.AsArray(), n => (string?)n!["caseId"] == caseId && (string?)n["kind"] == "delivery-undeliverable");
    }

    [Fact]
    public async Task OutsideThe48HourWindow_WithATemplate_TheTemplateTellsTheWorker()
    {
        await using var host = await WeChatHost.StartAsync(_dataDirectory, Cancellation, new Dictionary<string, string?>
        {
            ["Hotline:WeChat:TemplateId"] = "tpl-case-update",
            ["Hotline:WeChat:TemplateFields:thing1"] = "{caseId}",
            ["Hotline:WeChat:TemplateFields:thing2"] = "{summary}",
        });
        const string OpenId = "o_template";
        var caseId = await OpenCaseAsync(host, OpenId);
        await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.Casework.OperatorToken, null, Cancellation);
        host.WeChat.PutOutsideWindow(OpenId);

        var deliveryId = await ReplyAsync(host, caseId, "你的欠薪问题已转劳动监察大队，请留意电话。");

        var detail = await host.Casework.WaitForCaseAsync(caseId, c => Delivery(c, deliveryId)?["state"]?.GetValue<string>() == "delivered", Wait, Cancellation);
        Assert.Equal("delivered", (string?)Delivery(detail, deliveryId)!["state"]);
        var template = Assert.Single(host.WeChat.CallsTo("/cgi-bin/message/template/send")).Body!;
        Assert.Equal(OpenId, (string?)template["touser"]);
        Assert.Equal("tpl-case-update", (string?)template["template_id"]);
        Assert.Equal(caseId, (string?)template["data"]!["thing1"]!["value"]);
        Assert.True(((string?)template["data"]!["thing2"]!["value"])!.Length <= 20);
    }

    [Fact]
    public async Task PastTheQuota_ASixthCustomerServiceMessage_IsNotSent_AndIsMarkedUndeliverable()
    {
        await using var host = await WeChatHost.StartAsync(_dataDirectory, Cancellation);
        const string OpenId = "o_quota";
        var caseId = await OpenCaseAsync(host, OpenId);
        await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.Casework.OperatorToken, null, Cancellation);

        string last = string.Empty;
        for (var i = 1; i <= 6; i++)
        {
            last = await ReplyAsync(host, caseId, $"第{i}条回复");
            await host.Casework.WaitForCaseAsync(caseId, c => Delivery(c, last)?["state"]?.GetValue<string>() != "pending", Wait, Cancellation);
        }

        var detail = await host.Casework.WaitForCaseAsync(caseId, _ => true, Wait, Cancellation);
        Assert.Equal("undeliverable", (string?)Delivery(detail, last)!["state"]);
        Assert.Equal(5, host.CustomTexts(OpenId).Count);
        Assert.DoesNotContain(host.CustomTexts(OpenId), t => t.Contains("第6条回复", StringComparison.Ordinal));

        // The worker writes again: the window opens anew and the next reply goes out.
        await host.SayAsync(OpenId, "好的，我等你们消息", Cancellation);
        var next = await ReplyAsync(host, caseId, "收到，我们明天联系企业");
        var delivered = await host.Casework.WaitForCaseAsync(caseId, c => Delivery(c, next)?["state"]?.GetValue<string>() == "delivered", Wait, Cancellation);
        Assert.Equal("delivered", (string?)Delivery(delivered, next)!["state"]);
    }

    /// <summary>A worker asks for a person in WeChat and confirms; the case id the confirmation names.</summary>
    internal static async Task<string> OpenCaseAsync(WeChatHost host, string openId)
    {
        foreach (var step in new[] { "转人工", "公司拖欠三个月工资不发", "13812348000", "工作日下午" })
        {
            Assert.NotNull(await host.SayAsync(openId, step, Cancellation));
        }

        var confirmation = await host.SayAsync(openId, "是", Cancellation);
        var match = CaseIdPattern().Match(confirmation ?? string.Empty);
        Assert.True(match.Success, $"the confirmation names the case: {confirmation}");
        return match.Value;
    }

    private static async Task<string> ReplyAsync(WeChatHost host, string caseId, string text)
    {
        var (status, accepted) = await host.Casework.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.Casework.OperatorToken, new { text }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return (string)accepted!["deliveryId"]!;
    }

    private static async Task<IReadOnlyList<JsonNode>> DeliveriesAsync(WeChatHost host, string caseId, Func<JsonNode, bool> match)
    {
        var detail = await host.Casework.WaitForCaseAsync(caseId, c => c["deliveries"]!.AsArray().Where(d => match(d!)).All(d => (string?)d!["state"] != "pending"), Wait, Cancellation);
        return [.. detail["deliveries"]!.AsArray().Where(d => match(d!)).Select(d => d!)];
    }

    private static JsonNode? Delivery(JsonNode detail, string deliveryId) =>
        detail["deliveries"]!.AsArray().FirstOrDefault(d => (string?)d!["id"] == deliveryId);

    [GeneratedRegex(@"12351-\d{8}-\d{4}")]
    private static partial Regex CaseIdPattern();
}
