using System.Globalization;
using Hangfire;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Workflow;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.FollowUps;

/// <summary>
/// Schedules follow-ups as Hangfire jobs: enqueued when due (a past due time would otherwise wait for the
/// next schedule poll), delayed otherwise. With <see cref="ScheduledFollowUps"/> (scaled out: the job storage
/// is shared and outlives every instance) a follow-up already scheduled for the same time is not scheduled
/// again, so each one is one job however many instances rehydrate or write the case.
/// </summary>
public sealed class HangfireFollowUpScheduler(IBackgroundJobClient jobs, TimeProvider time, ScheduledFollowUps? scheduled = null) : IFollowUpScheduler
{
    public void Schedule(PlannedFollowUp followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        if (scheduled?.TryMark(followUp.CaseId, $"{followUp.Kind}:{followUp.Key}", followUp.Due) != false)
        {
            Reschedule(followUp);
        }
    }

    public void ScheduleDelivery(string caseId, string deliveryId, DateTimeOffset at)
    {
        if (scheduled?.TryMark(caseId, "delivery:" + deliveryId, at) != false)
        {
            RescheduleDelivery(caseId, deliveryId, at);
        }
    }

    public void Reschedule(PlannedFollowUp followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        var (caseId, kind, key) = (followUp.CaseId, followUp.Kind, followUp.Key);
        if (followUp.Due <= time.GetUtcNow())
        {
            jobs.Enqueue<FollowUpJobs>(j => j.RunAsync(caseId, kind, key, CancellationToken.None));
        }
        else
        {
            jobs.Schedule<FollowUpJobs>(j => j.RunAsync(caseId, kind, key, CancellationToken.None), followUp.Due);
        }
    }

    public void RescheduleDelivery(string caseId, string deliveryId, DateTimeOffset at)
    {
        if (at <= time.GetUtcNow())
        {
            jobs.Enqueue<FollowUpJobs>(j => j.DeliverAsync(caseId, deliveryId, CancellationToken.None));
        }
        else
        {
            jobs.Schedule<FollowUpJobs>(j => j.DeliverAsync(caseId, deliveryId, CancellationToken.None), at);
        }
    }
}

/// <summary>
/// The jobs Hangfire runs; each one delegates to <see cref="CaseFollowUps"/>, which re-reads the case and
/// does nothing when the work is done already. An unexpected failure (a locked database) is retried by
/// Hangfire a few times; a channel's refusal is not a failure here (the delivery records and reschedules it).
/// </summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 15, 60, 300, 900])]
public sealed class FollowUpJobs(CaseFollowUps followUps)
{
    [JobDisplayName("Follow-up {1} for case {0}")]
    public Task RunAsync(string caseId, FollowUpKind kind, string key, CancellationToken cancellationToken) =>
        followUps.RunAsync(caseId, kind, key, cancellationToken);

    [JobDisplayName("Deliver {1} of case {0}")]
    public Task DeliverAsync(string caseId, string deliveryId, CancellationToken cancellationToken) =>
        followUps.DeliverAsync(caseId, deliveryId, cancellationToken);
}

/// <summary>
/// At start, re-creates the pending follow-ups of every unfinished case: in-memory job storage starts empty;
/// shared storage keeps its jobs, and what a crash kept from being scheduled is scheduled now, while
/// <see cref="ScheduledFollowUps"/> skips what is there already. One instance at a time (a lock in the job
/// storage), so instances starting together do not schedule the same follow-up twice.
/// </summary>
public sealed class FollowUpRehydration(CaseFollowUps followUps, JobStorage storage) : IHostedService
{
    private const string LockName = "hotline:follow-up-rehydration";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var connection = storage.GetConnection();
        using (connection.AcquireDistributedLock(LockName, LockTimeout))
        {
            await followUps.RehydrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Which follow-ups have a job in the shared job storage (scaled out): one Redis key per follow-up and due
/// time, set only if absent, kept until an hour after the due time. Past that a follow-up may be scheduled
/// again, which is harmless: a job re-reads the case and does nothing when its work is done.
/// </summary>
public sealed class ScheduledFollowUps(IConnectionMultiplexer connection, RedisKeys keys, TimeProvider time)
{
    private static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>True when nothing was scheduled yet for <paramref name="followUp"/> of the case at <paramref name="due"/> (and it is now marked).</summary>
    public bool TryMark(string caseId, string followUp, DateTimeOffset due)
    {
        var wait = due - time.GetUtcNow();
        var expiry = (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) + Margin;
        var key = keys.Key("followups", caseId, followUp, due.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return connection.GetDatabase().StringSet(key, 1, expiry, When.NotExists);
    }
}
