using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Cases.Workflow;

/// <summary>
/// The follow-up jobs. Each one re-reads the case, acts only if the plan still holds the same follow-up
/// (same kind, same fact) and it is due, and records its effect in the same versioned write that claims
/// it: a job run twice, or by two servers at once, changes nothing twice.
/// </summary>
public sealed class CaseFollowUps
{
    /// <summary>A job that starts this much before its due time still runs (clock skew between scheduler and case).</summary>
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromSeconds(1);

    /// <summary>The history action and notification kind of a delivery that failed after its last retry.</summary>
    private const string FailedAction = "delivery-failed";

    /// <summary>The history action and notification kind of a delivery the channel will never take.</summary>
    private const string UndeliverableAction = "delivery-undeliverable";

    private readonly CaseChanges _changes;
    private readonly CaseStateMachine _machine;
    private readonly CaseDeadlines _deadlines;
    private readonly WorkingCalendar _calendar;
    private readonly FollowUpOptions _options;
    private readonly IWorkerMessenger _messenger;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CaseFollowUps(
        ICaseStore store,
        CaseStateMachine machine,
        CaseDeadlines deadlines,
        WorkingCalendar calendar,
        FollowUpOptions options,
        FollowUpPlanner planner,
        IFollowUpScheduler scheduler,
        IOperatorNotifier notifier,
        IWorkerMessenger messenger,
        TimeProvider? time = null,
        ILogger<CaseFollowUps>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _changes = new CaseChanges(store, planner, scheduler, notifier ?? throw new ArgumentNullException(nameof(notifier)), _logger);
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _deadlines = deadlines ?? throw new ArgumentNullException(nameof(deadlines));
        _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _messenger = messenger ?? throw new ArgumentNullException(nameof(messenger));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Schedules the pending follow-ups and deliveries of every unfinished case; how many were scheduled.</summary>
    public async Task<int> RehydrateAsync(CancellationToken cancellationToken)
    {
        var cases = await _changes.Store.ListUnfinishedAsync(cancellationToken).ConfigureAwait(false);
        var scheduled = cases.Sum(_changes.ScheduleAll);
        _logger.LogInformation("Rehydrated {Count} follow-ups of {Cases} unfinished cases", scheduled, cases.Count);
        return scheduled;
    }

    /// <summary>Runs one follow-up if it is still planned and due; returns what happened.</summary>
    public async Task<FollowUpResult> RunAsync(string caseId, FollowUpKind kind, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        PlannedFollowUp? early = null;
        OperatorNotification? notification = null;
        HotlineCase hotlineCase;
        bool written;
        try
        {
            (hotlineCase, written) = await _changes.ChangeAsync(caseId, c =>
            {
                early = null;
                notification = null;
                var planned = _changes.Planner.Plan(c).FirstOrDefault(p => p.Kind == kind && string.Equals(p.Key, key, StringComparison.Ordinal));
                if (planned is null)
                {
                    return false;
                }

                if (planned.Due > now + EarlyTolerance)
                {
                    early = planned;
                    return false;
                }

                notification = Apply(c, planned, now);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (CaseNotFoundException)
        {
            return FollowUpResult.Obsolete;
        }

        if (early is not null)
        {
            // Scheduled too soon (a clock change, a rehydrated job): run it again when it is due.
            _changes.Scheduler.Reschedule(early);
            return FollowUpResult.Early;
        }

        if (!written)
        {
            return FollowUpResult.Obsolete;
        }

        _logger.LogInformation("Follow-up {Kind} done for case {CaseId}", kind, hotlineCase.Id);
        if (notification is not null)
        {
            await _changes.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
        }

        return FollowUpResult.Done;
    }

    /// <summary>
    /// Delivers one queued message into the worker's chat. The attempt is claimed in a versioned write
    /// first (a lease until the next retry time), then sent, then the outcome is written; a failure is
    /// retried after the configured waits, and after the last one the delivery is marked failed and the
    /// operators are told. A message the channel will never take (<see cref="WorkerUnreachableException"/>)
    /// is marked undeliverable at once, with the channel's reason, and the operators are told.
    /// </summary>
    public async Task<DeliveryState?> DeliverAsync(string caseId, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(deliveryId);
        var delays = _options.RetryDelays;
        var now = _time.GetUtcNow();
        CaseDelivery? claimed = null;
        DateTimeOffset? notBefore = null;
        HotlineCase hotlineCase;
        try
        {
            (hotlineCase, _) = await _changes.ChangeAsync(caseId, c =>
            {
                claimed = null;
                notBefore = null;
                var d = Find(c, deliveryId);
                if (d is not { State: DeliveryState.Pending })
                {
                    return false;
                }

                if (d.NextAttemptAt > now + EarlyTolerance)
                {
                    notBefore = d.NextAttemptAt;
                    return false;
                }

                d.Attempts++;
                d.NextAttemptAt = now + _options.DeliveryLease;
                claimed = d;
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (CaseNotFoundException)
        {
            return null;
        }

        if (claimed is null)
        {
            if (notBefore is { } at)
            {
                _changes.Scheduler.RescheduleDelivery(caseId, deliveryId, at);
            }

            return Find(hotlineCase, deliveryId)?.State;
        }

        string? error = null;
        var unreachable = false;
        try
        {
            await _messenger.SendAsync(hotlineCase.Id, hotlineCase.Worker, claimed, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerUnreachableException e)
        {
            // Retrying would not help (or might show it twice): it is undeliverable now, with the channel's reason.
            error = e.Reason;
            unreachable = true;
            _logger.LogWarning("Delivery {DeliveryId} of case {CaseId}, attempt {Attempt}, cannot reach the worker: {Reason}", deliveryId, caseId, claimed.Attempts, error);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = Describe(e);
            _logger.LogWarning("Delivery {DeliveryId} of case {CaseId}, attempt {Attempt}, failed: {Error}", deliveryId, caseId, claimed.Attempts, error);
        }

        // The history action and notification kind of a delivery that ended without reaching the worker.
        string? givenUp = null;
        var (after, _) = await _changes.ChangeAsync(caseId, c =>
        {
            givenUp = null;
            var d = Find(c, deliveryId);
            if (d is not { State: DeliveryState.Pending })
            {
                return false;
            }

            var finished = _time.GetUtcNow();
            if (error is null)
            {
                d.State = DeliveryState.Delivered;
                d.DeliveredAt = finished;
                d.LastError = null;
            }
            else
            {
                d.LastError = error;
                if (unreachable || d.Attempts > delays.Count)
                {
                    d.State = unreachable ? DeliveryState.Undeliverable : DeliveryState.Failed;
                    givenUp = unreachable ? UndeliverableAction : FailedAction;
                    _machine.Record(c, "system", givenUp, $"{d.Id}：{error}");
                }
                else
                {
                    d.NextAttemptAt = finished + delays[d.Attempts - 1];
                }
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

        var result = Find(after, deliveryId);
        if (result is { State: DeliveryState.Pending })
        {
            _changes.Scheduler.ScheduleDelivery(caseId, deliveryId, result.NextAttemptAt);
        }
        else if (givenUp is not null)
        {
            var text = givenUp == UndeliverableAction ? CaseMessages.DeliveryUndeliverable(after) : CaseMessages.DeliveryFailed(after);
            await _changes.NotifyAsync(new OperatorNotification(after.Id, after.Assignee is null ? NotificationAudience.Operators : NotificationAudience.Assignee,
                givenUp, text, after.Assignee), cancellationToken).ConfigureAwait(false);
        }

        return result?.State;
    }

    /// <summary>Changes the case for a due follow-up and returns the notification to send after the write, if any.</summary>
    private OperatorNotification? Apply(HotlineCase c, PlannedFollowUp planned, DateTimeOffset now)
    {
        var f = c.FollowUp;
        switch (planned.Kind)
        {
            case FollowUpKind.NotifyOperators:
                f.NotifiedAt = now;
                _machine.Record(c, "system", "notify-operators");
                return new OperatorNotification(c.Id, NotificationAudience.Operators, "new-case", CaseMessages.NewCase(c));

            case FollowUpKind.RemindDeadline:
                f.RemindedFor = c.FirstResponseDue;
                _machine.Record(c, "system", "remind");
                return new OperatorNotification(c.Id, NotificationAudience.Operators, "deadline", CaseMessages.Reminder(c, _calendar.ToLocal(c.FirstResponseDue!.Value)));

            case FollowUpKind.Escalate:
                {
                    var from = c.Priority;
                    f.EscalatedFor = c.FirstResponseDue;
                    if (from != CasePriority.Urgent)
                    {
                        // One step up, with the new priority's deadline counted from now; an urgent case is escalated once.
                        c.Priority = from == CasePriority.Normal ? CasePriority.High : CasePriority.Urgent;
                        c.FirstResponseDue = _deadlines.FirstResponseDue(now, c.Priority);
                    }

                    _machine.Record(c, "system", "escalate", $"{from} → {c.Priority}");
                    return new OperatorNotification(c.Id, NotificationAudience.Admins, "escalated", CaseMessages.Escalated(c, from));
                }

            case FollowUpKind.CallbackReminder:
                f.CallbackRemindedAt = now;
                _machine.Record(c, "system", "callback-reminder");
                return new OperatorNotification(c.Id, c.Assignee is null ? NotificationAudience.Operators : NotificationAudience.Assignee,
                    "callback", CaseMessages.CallbackDue(c), c.Assignee);

            case FollowUpKind.Survey:
                f.SurveySentAt = now;
                _machine.Record(c, "system", "survey-sent");
                c.Deliveries.Add(CaseWorkflow.NewDelivery(DeliveryKind.Survey, CaseMessages.Survey(c), "system", now, CaseMessages.SurveyChoices));
                return null;

            case FollowUpKind.CloseUnrated:
                _machine.Apply(c, new CloseTransition(), "system", "未评价，自动结案");
                return null;

            case FollowUpKind.AutoClose:
                _machine.Apply(c, new CloseTransition(), "system", "职工未回复，自动结案");
                c.Deliveries.Add(CaseWorkflow.NewDelivery(DeliveryKind.Status, CaseMessages.AutoClosed(c, _options.AutoCloseWaitingForWorker), "system", now));
                return new OperatorNotification(c.Id, c.Assignee is null ? NotificationAudience.Operators : NotificationAudience.Assignee,
                    "auto-closed", $"工单 {c.Id} 因职工未回复已自动结案。", c.Assignee);

            default:
                throw new ArgumentOutOfRangeException(nameof(planned), planned.Kind, null);
        }
    }

    private static CaseDelivery? Find(HotlineCase c, string deliveryId) =>
        c.Deliveries.FirstOrDefault(d => string.Equals(d.Id, deliveryId, StringComparison.Ordinal));

    /// <summary>The error without personal data: the exception type and, for HTTP, the status code.</summary>
    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status} {status}",
        _ => e.GetType().Name,
    };
}

/// <summary>What a follow-up job did.</summary>
public enum FollowUpResult
{
    /// <summary>It acted and recorded it.</summary>
    Done,

    /// <summary>Not due yet: it was scheduled again for its due time.</summary>
    Early,

    /// <summary>Nothing to do: already done, or the case moved on (or is gone).</summary>
    Obsolete,
}
