using Hangfire;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Scheduling;
using HotlineBot.FollowUps;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Curation;

/// <summary>
/// Once a day, tells the admins which policy answers are past their review date. Idempotent: a day's
/// reminder is sent once, however often the job runs (a retry, a second instance, a restart).
/// </summary>
public sealed class ReviewReminderJob(IKnowledgeStore store, KnowledgeClock clock, IOperatorNotifier notifier, IOperatorFeed feed)
{
    public const string Kind = "review-due";

    /// <summary>How many entries the reminder names before "…".</summary>
    private const int Named = 5;

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today;
        var due = await KnowledgeApi.ReviewDueAsync(store, today, cancellationToken);
        var marker = $"（{today:yyyy-MM-dd}）";
        if (due.Count == 0 || (await feed.ReadAsync(0, string.Empty, Accounts.Roles.Admin, cancellationToken)).Any(i => i.Notification.Kind == Kind && i.Notification.Text.EndsWith(marker, StringComparison.Ordinal)))
        {
            return;
        }

        var names = string.Join("、", due.Take(Named).Select(e => e.Id)) + (due.Count > Named ? "…" : string.Empty);
        await notifier.NotifyAsync(
            new OperatorNotification(string.Empty, NotificationAudience.Admins, Kind, $"{due.Count}条政策答案已到复核日期，请在 /admin 的“待复核”中核对：{names}{marker}"),
            cancellationToken);
    }
}

/// <summary>Registers the daily reminder with Hangfire at start (09:00 in the hotline's time zone).</summary>
public sealed class ReviewReminderSchedule(IRecurringJobManager jobs, WorkingCalendar calendar) : IHostedService
{
    public const string JobId = "knowledge-review-reminder";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<ReviewReminderJob>(JobId, job => job.RunAsync(CancellationToken.None), "0 9 * * *", new RecurringJobOptions { TimeZone = calendar.TimeZone });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
