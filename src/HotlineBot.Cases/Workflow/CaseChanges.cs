using HotlineBot.Cases.FollowUps;
using Microsoft.Extensions.Logging;

namespace HotlineBot.Cases.Workflow;

/// <summary>
/// Read, change, write with the version check, and retry on a conflict: every change to a case goes
/// through here. After a write it schedules what the change made due (new follow-ups in the plan, new
/// deliveries), so callers never forget a job and a retry schedules nothing twice.
/// </summary>
internal sealed class CaseChanges(ICaseStore store, FollowUpPlanner planner, IFollowUpScheduler scheduler, IOperatorNotifier notifier, ILogger logger)
{
    private const int MaxAttempts = 8;

    public ICaseStore Store { get; } = store;

    public FollowUpPlanner Planner { get; } = planner;

    public IFollowUpScheduler Scheduler { get; } = scheduler;

    /// <summary>
    /// Applies <paramref name="change"/> to a fresh read of the case and writes it. <paramref name="change"/>
    /// returns false when there is nothing to do (then nothing is written) and may run more than once
    /// (after a conflict), so it must only change the case it is given. Returns the case as stored, and
    /// whether it was written.
    /// </summary>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    public async Task<(HotlineCase Case, bool Written)> ChangeAsync(string caseId, Func<HotlineCase, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var hotlineCase = await Store.GetAsync(caseId, cancellationToken).ConfigureAwait(false) ?? throw new CaseNotFoundException(caseId);
            var plannedBefore = Planner.Plan(hotlineCase).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var deliveriesBefore = hotlineCase.Deliveries.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            if (!change(hotlineCase))
            {
                return (hotlineCase, false);
            }

            try
            {
                await Store.UpdateAsync(hotlineCase, cancellationToken).ConfigureAwait(false);
            }
            catch (CaseConcurrencyException) when (attempt < MaxAttempts)
            {
                continue;
            }

            foreach (var followUp in Planner.Plan(hotlineCase).Where(p => !plannedBefore.Contains(p.Key)))
            {
                Scheduler.Schedule(followUp);
            }

            foreach (var delivery in hotlineCase.Deliveries.Where(d => d.State == DeliveryState.Pending && !deliveriesBefore.Contains(d.Id)))
            {
                Scheduler.ScheduleDelivery(hotlineCase.Id, delivery.Id, delivery.NextAttemptAt);
            }

            return (hotlineCase, true);
        }
    }

    /// <summary>Tells operators; a failure is logged, never thrown: the case is written and the console shows it.</summary>
    public async Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await notifier.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Notifying operators about case {CaseId} failed", notification.CaseId);
        }
    }

    /// <summary>Schedules every pending follow-up and delivery of a case (after it was created, or at start).</summary>
    public int ScheduleAll(HotlineCase hotlineCase)
    {
        var count = 0;
        foreach (var followUp in Planner.Plan(hotlineCase))
        {
            Scheduler.Schedule(followUp);
            count++;
        }

        foreach (var delivery in hotlineCase.Deliveries.Where(d => d.State == DeliveryState.Pending))
        {
            Scheduler.ScheduleDelivery(hotlineCase.Id, delivery.Id, delivery.NextAttemptAt);
            count++;
        }

        return count;
    }
}
