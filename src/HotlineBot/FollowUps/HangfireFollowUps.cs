using Hangfire;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Workflow;

namespace HotlineBot.FollowUps;

/// <summary>
/// Schedules follow-ups as Hangfire jobs: enqueued when due (a past due time would otherwise wait for the
/// next schedule poll), delayed otherwise.
/// </summary>
public sealed class HangfireFollowUpScheduler(IBackgroundJobClient jobs, TimeProvider time) : IFollowUpScheduler
{
    public void Schedule(PlannedFollowUp followUp)
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

    public void ScheduleDelivery(string caseId, string deliveryId, DateTimeOffset at)
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

/// <summary>At start, re-creates the pending follow-ups of every unfinished case (in-memory job storage starts empty).</summary>
public sealed class FollowUpRehydration(CaseFollowUps followUps) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => followUps.RehydrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
