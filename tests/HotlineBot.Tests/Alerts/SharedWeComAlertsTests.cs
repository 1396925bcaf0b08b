using Hangfire;
using HotlineBot.Alerts;
using HotlineBot.Cases;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Alerts;

/// <summary>
/// Scaled out: two real hosts sharing one real Redis (cases and Hangfire's job storage). The same notification
/// enqueued by both instances is posted to the group once: the alert's mark lives in the shared job storage.
/// </summary>
public sealed class SharedWeComAlertsTests(RedisServer redis) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _dataA = TempDataDirectory.Create();
    private readonly string _dataB = TempDataDirectory.Create();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        TempDataDirectory.Delete(_dataA);
        TempDataDirectory.Delete(_dataB);
    }

    [Fact]
    public async Task SameNotificationFromTwoInstances_IsPostedOnce()
    {
        _ = redis.Connection;
        await using var robot = await WeComRobotServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.Configuration,
            ["Hotline:Redis:Prefix"] = RedisServer.NewPrefix(),
            ["Hotline:FollowUp:SchedulePollingInterval"] = "00:00:00.5",
            ["Hotline:Alerts:WeComRobotUrl"] = robot.Url.ToString(),
        };
        await using var a = await HotlineHost.StartAsync(_dataA, settings, Cancellation);
        await using var b = await HotlineHost.StartAsync(_dataB, settings, Cancellation);

        var created = await a.Services.GetRequiredService<ICaseStore>().CreateAsync(
            new HotlineCase { Worker = new WorkerContact("webchat", "conv-shared", "{}", "王师傅", "13812348000"), Priority = CasePriority.High, Description = "加班费没有按规定发放" },
            Cancellation);
        var notification = new OperatorNotification(created.Id, NotificationAudience.Admins, WeComAlertNotifier.Escalated, $"工单 {created.Id} 超过首次响应时限无人认领，优先级由“一般”升为“较急”。");

        await Task.WhenAll(
            a.Services.GetRequiredService<IOperatorNotifier>().NotifyAsync(notification, Cancellation),
            b.Services.GetRequiredService<IOperatorNotifier>().NotifyAsync(notification, Cancellation));

        var posted = await robot.WaitForAsync(c => c.Contains(created.Id, StringComparison.Ordinal), Wait, Cancellation);
        var content = Assert.Single(posted);
        Assert.Contains("> 优先级：**较急**", content, StringComparison.Ordinal);
        Assert.Contains("请在话务台（/operator）打开工单 " + created.Id, content, StringComparison.Ordinal);
        await WaitUntilAlertJobsDoneAsync(a.Services.GetRequiredService<JobStorage>());
        Assert.Single(robot.Contents, c => c.Contains(created.Id, StringComparison.Ordinal));
    }

    /// <summary>Until no alert job is queued, running or waiting for a retry in the shared storage.</summary>
    internal static async Task WaitUntilAlertJobsDoneAsync(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var pending = monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 100)).Select(j => j.Value.Job)
                .Concat(monitoring.ProcessingJobs(0, 100).Select(j => j.Value.Job))
                .Concat(monitoring.ScheduledJobs(0, 100).Select(j => j.Value.Job));
            if (!pending.Any(j => j?.Type == typeof(WeComAlertJob)))
            {
                return;
            }

            await Task.Delay(100, Cancellation);
        }
    }
}
