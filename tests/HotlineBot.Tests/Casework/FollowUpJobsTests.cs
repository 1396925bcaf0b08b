using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HotlineBot.Tests.Integration;

namespace HotlineBot.Tests.Casework;

/// <summary>
/// The follow-ups as they run in the service: the real host, its Hangfire server on in-memory storage,
/// the SQLite case store, and a real HTTP channel receiving /v3/conversations/{id}/activities.
/// </summary>
public sealed class FollowUpJobsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task Handoff_ReachesOperator_ReplyIsDeliveredIntoWorkersChat_AndResolutionBringsSurvey()
    {
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, CaseworkHost.FastFollowUps(TimeSpan.FromSeconds(1)), Cancellation);
        var conversationId = BotClient.NewConversationId();
        var (caseId, confirmedAt) = await host.OpenCaseAsync(conversationId, Cancellation);

        // The case is in the operators' queue, with the number masked.
        JsonNode? listed = null;
        while (listed is null && Stopwatch.GetElapsedTime(confirmedAt) < Wait)
        {
            var (_, queue) = await host.ApiAsync(HttpMethod.Get, "/api/cases", host.OperatorToken, null, Cancellation);
            listed = queue!["items"]!.AsArray().FirstOrDefault(i => (string?)i!["id"] == caseId);
        }

        var visibleAfter = Stopwatch.GetElapsedTime(confirmedAt);
        Assert.NotNull(listed);
        Assert.Equal("new", (string?)listed["status"]);
        Assert.Equal("138****8000", (string?)listed["callbackPhone"]);
        Timings.Report(string.Create(CultureInfo.InvariantCulture, $"confirmation → case visible in GET /api/cases: {visibleAfter.TotalMilliseconds:F1} ms"));

        // Operators were notified of it.
        var notified = await host.WaitForCaseAsync(caseId, c => HasEvent(c, "notify-operators"), Wait, Cancellation);
        Assert.True(HasEvent(notified, "notify-operators"));
        var (_, feed) = await host.ApiAsync(HttpMethod.Get, "/api/notifications?after=0", host.OperatorToken, null, Cancellation);
        Assert.Contains(feed!["items"]!.AsArray(), n => (string?)n!["caseId"] == caseId && (string?)n["kind"] == "new-case");

        var (claimStatus, claimed) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.OperatorToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, claimStatus);
        Assert.Equal("claimed", (string?)claimed!["status"]);
        Assert.True((bool)claimed["canMessage"]!);

        var sentAt = Stopwatch.GetTimestamp();
        var (sendStatus, accepted) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.OperatorToken, new { text = "你好，我是工会工作人员，请问欠薪是从哪个月开始的？" }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, sendStatus);
        var deliveryId = (string?)accepted!["deliveryId"];
        var arrived = await host.WaitForKindAsync(conversationId, "operator", Wait, Cancellation);
        var deliveredAfter = Stopwatch.GetElapsedTime(sentAt);
        var operatorMessage = Assert.Single(arrived).Activity;
        Assert.Equal(caseId, (string?)operatorMessage["channelData"]!["hotline"]!["caseId"]);
        Assert.Contains("欠薪是从哪个月开始的", (string?)operatorMessage["text"]);
        Timings.Report(string.Create(CultureInfo.InvariantCulture, $"operator reply → received by the channel: {deliveredAfter.TotalMilliseconds:F1} ms"));

        // The operator sees that it arrived, beside the line in the transcript.
        var delivered = await host.WaitForCaseAsync(caseId, c => DeliveryState(c, deliveryId) == "delivered", Wait, Cancellation);
        Assert.Equal("delivered", DeliveryState(delivered, deliveryId));
        Assert.Equal("waiting-for-worker", (string?)delivered["status"]);
        Assert.Contains(delivered["transcript"]!.AsArray(), l => (string?)l!["role"] == "operator" && (string?)l["delivery"]?["state"] == "delivered");

        var (resolveStatus, resolved) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/resolve", host.OperatorToken, new { resolution = "已联系劳动监察大队，企业承诺本周补发工资" }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, resolveStatus);
        Assert.Equal("resolved", (string?)resolved!["status"]);

        var notice = Assert.Single(await host.WaitForKindAsync(conversationId, "status", Wait, Cancellation)).Activity;
        Assert.Contains("企业承诺本周补发工资", (string?)notice["text"]);
        var survey = Assert.Single(await host.WaitForKindAsync(conversationId, "survey", Wait, Cancellation)).Activity;
        Assert.Equal(caseId, (string?)survey["channelData"]!["hotline"]!["caseId"]);
        var buttons = survey["suggestedActions"]!["actions"]!.AsArray().Select(a => (string?)a!["value"]).ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], buttons);
    }

    [Fact]
    public async Task UnclaimedUrgentCase_IsRemindedThenEscalatedToAdmins_Once()
    {
        var settings = CaseworkHost.FastFollowUps(TimeSpan.FromHours(1));
        settings["Hotline:FollowUp:FirstResponse:Urgent"] = "00:00:02";
        settings["Hotline:FollowUp:ReminderLeadTime"] = "00:00:01";
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, settings, Cancellation);
        var conversationId = BotClient.NewConversationId();
        var emergency = (await host.SayAsync(conversationId, "工友从脚手架上摔下来了，流了很多血", Cancellation))[0];
        var caseId = (string)emergency["channelData"]!["hotline"]!["caseId"]!;

        var escalated = await host.WaitForCaseAsync(caseId, c => HasEvent(c, "escalate"), Wait, Cancellation);
        Assert.True(HasEvent(escalated, "remind"), "reminded before the deadline");
        Assert.True(HasEvent(escalated, "escalate"), "escalated at the deadline");
        Assert.Equal("urgent", (string?)escalated["priority"]);

        var (_, adminFeed) = await host.ApiAsync(HttpMethod.Get, "/api/notifications", host.AdminToken, null, Cancellation);
        Assert.Contains(adminFeed!["items"]!.AsArray(), n => (string?)n!["caseId"] == caseId && (string?)n["kind"] == "escalated");
        var (_, operatorFeed) = await host.ApiAsync(HttpMethod.Get, "/api/notifications", host.OperatorToken, null, Cancellation);
        Assert.Contains(operatorFeed!["items"]!.AsArray(), n => (string?)n!["caseId"] == caseId && (string?)n["kind"] == "deadline");
        Assert.DoesNotContain(operatorFeed["items"]!.AsArray(), n => (string?)n!["kind"] == "escalated");

        // An urgent case is escalated once: later polls find no second escalation.
        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        var later = await host.WaitForCaseAsync(caseId, _ => true, Wait, Cancellation);
        Assert.Single(later["history"]!.AsArray(), e => (string?)e!["action"] == "escalate");
    }

    [Fact]
    public async Task ReplyToUnreachableChannel_IsRetried_ThenShownAsFailed()
    {
        var settings = CaseworkHost.FastFollowUps(TimeSpan.FromHours(1));
        settings["Hotline:FollowUp:DeliveryRetryDelays:0"] = "00:00:00.200";
        settings["Hotline:FollowUp:DeliveryRetryDelays:1"] = "00:00:00.200";
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, settings, Cancellation);
        var conversationId = BotClient.NewConversationId();
        var (caseId, _) = await host.OpenCaseAsync(conversationId, Cancellation, BotClient.UnusedServiceUrl);
        await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.OperatorToken, null, Cancellation);
        var (_, accepted) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.OperatorToken, new { text = "请回电" }, Cancellation);
        var deliveryId = (string?)accepted!["deliveryId"];

        var failed = await host.WaitForCaseAsync(caseId, c => DeliveryState(c, deliveryId) == "failed", Wait, Cancellation);
        var delivery = failed["deliveries"]!.AsArray().Single(d => (string?)d!["id"] == deliveryId)!;
        Assert.Equal("failed", (string?)delivery["state"]);
        Assert.Equal(3, (int)delivery["attempts"]!);
        Assert.False(string.IsNullOrEmpty((string?)delivery["lastError"]));
        Assert.True(HasEvent(failed, "delivery-failed"));
        var (_, feed) = await host.ApiAsync(HttpMethod.Get, "/api/notifications", host.OperatorToken, null, Cancellation);
        Assert.Contains(feed!["items"]!.AsArray(), n => (string?)n!["caseId"] == caseId && (string?)n["kind"] == "delivery-failed");
    }

    [Fact]
    public async Task SurveyDueAfterRestart_IsStillSent_FromTheRehydratedJobs()
    {
        var settings = CaseworkHost.FastFollowUps(TimeSpan.FromSeconds(3));
        var conversationId = BotClient.NewConversationId();
        var first = await CaseworkHost.StartAsync(_dataDirectory, settings, Cancellation);
        var channel = first.Channel;
        string caseId;
        try
        {
            (caseId, _) = await first.OpenCaseAsync(conversationId, Cancellation);
            await first.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", first.OperatorToken, null, Cancellation);
            var (status, _) = await first.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/resolve", first.OperatorToken, new { resolution = "已答复" }, Cancellation);
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            // Stopped before the survey is due: its in-memory job dies with this process's job storage.
            await first.StopHostAsync();
        }

        Assert.DoesNotContain(channel.Received, p => p.ConversationId == conversationId && (string?)p.Activity["channelData"]?["hotline"]?["kind"] == "survey");
        await using var second = await CaseworkHost.StartAsync(_dataDirectory, settings, Cancellation, channel);
        var survey = Assert.Single(await second.WaitForKindAsync(conversationId, "survey", Wait, Cancellation)).Activity;
        Assert.Equal(caseId, (string?)survey["channelData"]!["hotline"]!["caseId"]);
        var afterRestart = await second.WaitForCaseAsync(caseId, c => c["survey"]?["sentAt"] is not null, Wait, Cancellation);
        Assert.Single(afterRestart["history"]!.AsArray(), e => (string?)e!["action"] == "survey-sent");
    }

    [Fact]
    public async Task CaseApi_RequiresAToken_TheDashboardRequiresAdmin_AndOnlyTheAssigneeRevealsThePhone()
    {
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, CaseworkHost.FastFollowUps(TimeSpan.FromHours(1)), Cancellation);
        var (caseId, _) = await host.OpenCaseAsync(BotClient.NewConversationId(), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ApiAsync(HttpMethod.Get, "/api/cases", null, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", null, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.ApiAsync(HttpMethod.Get, "/hangfire", null, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ApiAsync(HttpMethod.Get, "/hangfire", host.OperatorToken, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.ApiAsync(HttpMethod.Get, "/hangfire", host.AdminToken, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.ApiAsync(HttpMethod.Get, "/api/cases/12351-20000101-0001", host.OperatorToken, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.ApiAsync(HttpMethod.Get, "/api/cases?status=lost", host.OperatorToken, null, Cancellation)).Status);

        // Writing before claiming is refused; so is revealing the number for someone who does not hold the case.
        Assert.Equal(HttpStatusCode.Conflict, (await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.OperatorToken, new { text = "你好" }, Cancellation)).Status);
        await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.OperatorToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/phone", host.AdminToken, null, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/messages", host.OperatorToken, new { text = " " }, Cancellation)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/claim", host.AdminToken, null, Cancellation)).Status);

        var (status, phone) = await host.ApiAsync(HttpMethod.Post, $"/api/cases/{caseId}/phone", host.OperatorToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("13812348000", (string?)phone!["phone"]);
        var (_, detail) = await host.ApiAsync(HttpMethod.Get, $"/api/cases/{caseId}", host.AdminToken, null, Cancellation);
        var reveal = Assert.Single(detail!["history"]!.AsArray(), e => (string?)e!["action"] == "reveal-phone");
        Assert.Equal(CaseworkHost.OperatorUser, (string?)reveal!["actor"]);
        Assert.DoesNotContain("13812348000", detail.ToJsonString(), StringComparison.Ordinal);
    }

    private static bool HasEvent(JsonNode detail, string action) =>
        detail["history"]!.AsArray().Any(e => (string?)e!["action"] == action);

    private static string? DeliveryState(JsonNode detail, string? deliveryId) =>
        (string?)detail["deliveries"]!.AsArray().FirstOrDefault(d => (string?)d!["id"] == deliveryId)?["state"];
}
