using System.Globalization;
using HotlineBot.Cases.Scheduling;

namespace HotlineBot.Cases.FollowUps;

/// <summary>The follow-ups a case can have.</summary>
public enum FollowUpKind
{
    /// <summary>Tell the operators about a new case.</summary>
    NotifyOperators,

    /// <summary>Remind them before the first-response deadline.</summary>
    RemindDeadline,

    /// <summary>The deadline passed with no one on the case: raise the priority and tell the admins.</summary>
    Escalate,

    /// <summary>Remind them to call the worker back in the window the worker chose.</summary>
    CallbackReminder,

    /// <summary>Ask the worker how it went, a while after resolution.</summary>
    Survey,

    /// <summary>Close a resolved case whose survey was never answered.</summary>
    CloseUnrated,

    /// <summary>Close a case that waited too long for the worker, with a notice.</summary>
    AutoClose,
}

/// <summary>
/// A follow-up that is due at <paramref name="Due"/>. <paramref name="Key"/> names the fact it acts on
/// (the deadline, the resolution time ...), so a job scheduled for an old fact finds no matching plan
/// and does nothing.
/// </summary>
public sealed record PlannedFollowUp(string CaseId, FollowUpKind Kind, DateTimeOffset Due, string Key);

/// <summary>
/// Derives a case's pending follow-ups from the case alone (status, deadline, history, follow-up facts):
/// the case is the source of truth, so the same plan can be rebuilt after a restart and checked again
/// when a job runs.
/// </summary>
public sealed class FollowUpPlanner(WorkingCalendar calendar, FollowUpOptions options)
{
    /// <summary>The callback windows the handoff dialog offers; any other text means "as soon as someone is on duty".</summary>
    public const string MorningWindow = "工作日上午";
    public const string AfternoonWindow = "工作日下午";

    private static readonly TimeSpan Noon = TimeSpan.FromHours(12);

    private readonly WorkingCalendar _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
    private readonly FollowUpOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    public IReadOnlyList<PlannedFollowUp> Plan(HotlineCase hotlineCase)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        var plan = new List<PlannedFollowUp>();
        var status = hotlineCase.Status;
        if (status == CaseStatus.Closed)
        {
            return plan;
        }

        var f = hotlineCase.FollowUp;
        void Add(FollowUpKind kind, DateTimeOffset due, DateTimeOffset fact) =>
            plan.Add(new PlannedFollowUp(hotlineCase.Id, kind, due, Key(kind, fact)));

        // A case someone took before the notice went out needs no announcing.
        if (f.NotifiedAt is null && status == CaseStatus.New)
        {
            Add(FollowUpKind.NotifyOperators, hotlineCase.CreatedAt, hotlineCase.CreatedAt);
        }

        if (f.FirstRespondedAt is null && status is CaseStatus.New or CaseStatus.WaitingForOperator && hotlineCase.FirstResponseDue is { } due)
        {
            // A reminder that comes after its deadline was escalated (after an outage) says nothing new.
            if (f.RemindedFor != due && f.EscalatedFor != due)
            {
                Add(FollowUpKind.RemindDeadline, due - _options.ReminderLeadTime, due);
            }

            if (f.EscalatedFor != due)
            {
                Add(FollowUpKind.Escalate, due, due);
            }
        }

        if (hotlineCase.Worker.CallbackPhone is not null && f.CallbackWindow is { } window && f.CallbackRemindedAt is null && status != CaseStatus.Resolved)
        {
            var since = hotlineCase.History.LastOrDefault(e => e.Action == "callback")?.At ?? hotlineCase.CreatedAt;
            Add(FollowUpKind.CallbackReminder, CallbackTime(since, window), since);
        }

        if (status == CaseStatus.Resolved && hotlineCase.LastEntered(CaseStatus.Resolved) is { } resolvedAt)
        {
            if (f.SurveySentAt is null)
            {
                Add(FollowUpKind.Survey, resolvedAt + _options.SurveyDelay, resolvedAt);
            }
            else if (f.SurveyScore is null)
            {
                Add(FollowUpKind.CloseUnrated, f.SurveySentAt.Value + _options.SurveyAnswerWindow, f.SurveySentAt.Value);
            }
        }

        if (status == CaseStatus.WaitingForWorker && hotlineCase.LastEntered(CaseStatus.WaitingForWorker) is { } waitingSince)
        {
            // The wait counts from the operator's last message: writing again gives the worker the full time again.
            var lastAsked = hotlineCase.Deliveries.Where(d => d.Kind == DeliveryKind.Operator).Select(d => d.CreatedAt).DefaultIfEmpty(waitingSince).Max();
            var since = lastAsked > waitingSince ? lastAsked : waitingSince;
            Add(FollowUpKind.AutoClose, since + _options.AutoCloseWaitingForWorker, since);
        }

        return plan;
    }

    /// <summary>
    /// The first on-duty instant from <paramref name="from"/> that lies in the worker's window: mornings are
    /// before noon, afternoons from noon; any other window (随时) is the next on-duty instant.
    /// </summary>
    public DateTimeOffset CallbackTime(DateTimeOffset from, string window)
    {
        var first = _calendar.NextWorkingTime(from);
        if (window is not (MorningWindow or AfternoonWindow))
        {
            return first;
        }

        var candidate = first;
        for (var i = 0; i < 62; i++)
        {
            var local = _calendar.ToLocal(candidate);
            var morning = local.TimeOfDay < Noon;
            if (morning == (window == MorningWindow))
            {
                return candidate;
            }

            // Wrong half of the day: try from noon today (for an afternoon) or from tomorrow's start (for a morning).
            var next = morning ? local.Date + Noon : local.Date.AddDays(1);
            candidate = _calendar.NextWorkingTime(new DateTimeOffset(next, _calendar.TimeZone.GetUtcOffset(next)));
        }

        // Operators never work in that half of the day: remind them at their next opening instead.
        return first;
    }

    private static string Key(FollowUpKind kind, DateTimeOffset fact) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}:{fact.UtcTicks}");
}
