using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using HotlineBot.Alerts;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Tests.Casework;
using HotlineBot.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Alerts;

/// <summary>
/// The WeCom group robot alerts through the real host: cases made by a worker talking to the bot, the follow-up
/// jobs on Hangfire, and a fake robot on real Kestrel receiving what the service posts.
/// </summary>
public sealed class WeComAlertsHostTests : IDisposable
{
    private const string PublicBaseUrl = "https://hotline.example.org";

    /// <summary>Long enough for two retries (1 s and 5 s) and the schedule polls between them.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public async Task NewCase_PostsOneMarkdownMessage_WithNumberCategoryPriorityMaskedPhoneAndLink()
    {
        await using var robot = await WeComRobotServer.StartAsync();
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, Settings(robot.Url), Cancellation);
        var (caseId, _) = await host.OpenCaseAsync(BotClient.NewConversationId(), Cancellation);

        var posted = await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal), Wait, Cancellation);
        var content = Assert.Single(posted);
        var message = Assert.Single(robot.Accepted, m => ((string?)m["markdown"]?["content"])?.Contains(caseId, StringComparison.Ordinal) == true);
        Assert.Equal("markdown", (string?)message["msgtype"]);

        var (_, detail) = await host.ApiAsync(HttpMethod.Get, $"/api/cases/{caseId}", host.AdminToken, null, Cancellation);
        Assert.Contains("新工单", content, StringComparison.Ordinal);
        Assert.Contains((string)detail!["categoryLabel"]!, content, StringComparison.Ordinal);
        Assert.Contains((string)detail["priorityLabel"]!, content, StringComparison.Ordinal);
        Assert.Contains("138****8000", content, StringComparison.Ordinal);
        Assert.DoesNotContain("13812348000", message.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains($"({PublicBaseUrl}/operator/#{caseId})", content, StringComparison.Ordinal);
        Assert.Contains("公司拖欠三个月工资不发", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnclaimedUrgentCase_PastItsDeadline_PostsTheReminderAndTheEscalation()
    {
        await using var robot = await WeComRobotServer.StartAsync();
        var settings = Settings(robot.Url);
        settings["Hotline:FollowUp:FirstResponse:Urgent"] = "00:00:02";
        settings["Hotline:FollowUp:ReminderLeadTime"] = "00:00:01";
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, settings, Cancellation);
        var emergency = (await host.SayAsync(BotClient.NewConversationId(), "工友从脚手架上摔下来了，流了很多血", Cancellation))[0];
        var caseId = (string)emergency["channelData"]!["hotline"]!["caseId"]!;

        var escalation = Assert.Single(await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal) && c.Contains("已升级", StringComparison.Ordinal), Wait, Cancellation));
        Assert.Contains("紧急", escalation, StringComparison.Ordinal);
        Assert.Contains("已超过首次响应时限", escalation, StringComparison.Ordinal);
        Assert.Contains($"({PublicBaseUrl}/operator/#{caseId})", escalation, StringComparison.Ordinal);
        Assert.Single(await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal) && c.Contains("临近首次响应时限", StringComparison.Ordinal), Wait, Cancellation));
        Assert.Single(await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal) && c.Contains("新工单", StringComparison.Ordinal), Wait, Cancellation));
    }

    [Fact]
    public async Task RobotFailingTheFirstTwoPosts_StillGetsTheMessage_Once()
    {
        await using var robot = await WeComRobotServer.StartAsync(failFirst: 2);
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, Settings(robot.Url), Cancellation);
        var (caseId, _) = await host.OpenCaseAsync(BotClient.NewConversationId(), Cancellation);

        var posted = await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal), Wait, Cancellation);
        Assert.Single(posted);
        Assert.True(robot.Attempts >= 3, $"a 500 and an errcode 45009 before the accepted post; attempts: {robot.Attempts}");
        await WaitUntilAlertJobsDoneAsync(host);
        Assert.Single(robot.Contents, c => c.Contains(caseId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameNotificationTwice_IsPostedOnce()
    {
        await using var robot = await WeComRobotServer.StartAsync();
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, Settings(robot.Url), Cancellation);
        var (caseId, _) = await host.OpenCaseAsync(BotClient.NewConversationId(), Cancellation);
        Assert.NotEmpty(await robot.WaitForAsync(c => c.Contains(caseId, StringComparison.Ordinal), Wait, Cancellation));

        // As two instances that both noticed the same thing: the same notification, enqueued twice at once.
        var notifier = host.Host.Services.GetRequiredService<IOperatorNotifier>();
        var notification = new OperatorNotification(caseId, NotificationAudience.Operators, WeComAlertNotifier.Deadline, $"工单 {caseId}（一般）还没有人认领，首次响应时限 12月1日 09:00。");
        await Task.WhenAll(notifier.NotifyAsync(notification, Cancellation), notifier.NotifyAsync(notification, Cancellation));

        Assert.NotEmpty(await robot.WaitForAsync(c => c.Contains("12月1日 09:00", StringComparison.Ordinal), Wait, Cancellation));
        await WaitUntilAlertJobsDoneAsync(host);
        Assert.Single(robot.Contents, c => c.Contains("12月1日 09:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RobotDown_HandoffStillCompletes_AndTheCaseIsCreated()
    {
        // Nothing listens on the discard port.
        var settings = Settings(new Uri("http://127.0.0.1:9/cgi-bin/webhook/send?key=" + WeComRobotServer.Key));
        await using var host = await CaseworkHost.StartAsync(_dataDirectory, settings, Cancellation);
        var started = Stopwatch.GetTimestamp();
        var (caseId, confirmedAt) = await host.OpenCaseAsync(BotClient.NewConversationId(), Cancellation);
        Timings.Report(string.Create(CultureInfo.InvariantCulture, $"handoff (5 turns) with the WeCom robot down: {Stopwatch.GetElapsedTime(started, confirmedAt).TotalMilliseconds:F1} ms"));

        var (status, detail) = await host.ApiAsync(HttpMethod.Get, $"/api/cases/{caseId}", host.AdminToken, null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("new", (string?)detail!["status"]);

        // The follow-up that notifies completed too, and the console's feed has the case.
        var notified = await host.WaitForCaseAsync(caseId, c => HasEvent(c, "notify-operators"), Wait, Cancellation);
        Assert.True(HasEvent(notified, "notify-operators"));
        var (_, feed) = await host.ApiAsync(HttpMethod.Get, "/api/notifications?after=0", host.OperatorToken, null, Cancellation);
        Assert.Contains(feed!["items"]!.AsArray(), n => (string?)n!["caseId"] == caseId && (string?)n["kind"] == WeComAlertNotifier.NewCase);
    }

    private static Dictionary<string, string?> Settings(Uri robotUrl)
    {
        var settings = CaseworkHost.FastFollowUps(TimeSpan.FromHours(1));
        settings["Hotline:FollowUp:SchedulePollingInterval"] = "00:00:00.5";
        settings["Hotline:Alerts:WeComRobotUrl"] = robotUrl.ToString();
        settings["Hotline:Alerts:PublicBaseUrl"] = PublicBaseUrl;
        return settings;
    }

    private static bool HasEvent(JsonNode c, string action) =>
        c["history"]!.AsArray().Any(e => (string?)e!["action"] == action);

    private static Task WaitUntilAlertJobsDoneAsync(CaseworkHost host) =>
        SharedWeComAlertsTests.WaitUntilAlertJobsDoneAsync(host.Host.Services.GetRequiredService<JobStorage>());
}
