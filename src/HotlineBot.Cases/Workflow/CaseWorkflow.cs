using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineBot.Cases.Workflow;

/// <summary>
/// What people do with cases: the bot opens them, operators claim, write, resolve and reopen, workers
/// write into a held case and rate it. Each action is one versioned write (retried on a conflict) and
/// schedules the follow-ups it made due; notifications go out after the write, never for a write that
/// did not happen.
/// </summary>
public sealed class CaseWorkflow
{
    /// <summary>The longest operator message.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>The callback window meaning "whenever someone is on duty".</summary>
    public const string AnyTime = "随时";

    private readonly CaseChanges _changes;
    private readonly CaseStateMachine _machine;
    private readonly CaseDeadlines _deadlines;
    private readonly TimeProvider _time;

    public CaseWorkflow(
        ICaseStore store,
        CaseStateMachine machine,
        CaseDeadlines deadlines,
        FollowUpPlanner planner,
        IFollowUpScheduler scheduler,
        IOperatorNotifier notifier,
        TimeProvider? time = null,
        ILogger<CaseWorkflow>? logger = null)
    {
        _changes = new CaseChanges(store, planner, scheduler, notifier ?? throw new ArgumentNullException(nameof(notifier)),
            (ILogger?)logger ?? NullLogger.Instance);
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _deadlines = deadlines ?? throw new ArgumentNullException(nameof(deadlines));
        _time = time ?? TimeProvider.System;
    }

    public ICaseStore Store => _changes.Store;

    /// <summary>
    /// Opens a draft (the <c>open</c> event, the first-response deadline by priority, the callback window),
    /// writes it — it is on disk when this returns — and schedules its follow-ups (notifying operators first).
    /// </summary>
    public async Task<HotlineCase> OpenAsync(HotlineCase draft, string? callbackWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var now = _time.GetUtcNow();
        if (draft.CreatedAt == default)
        {
            draft.CreatedAt = now;
        }

        draft.FirstResponseDue ??= _deadlines.FirstResponseDue(draft.CreatedAt, draft.Priority);
        // A number without a window still gets its callback: as soon as someone is on duty.
        draft.FollowUp.CallbackWindow = draft.Worker.CallbackPhone is null ? null : callbackWindow ?? AnyTime;
        _machine.Open(draft, "bot", callbackWindow is null ? "转人工" : $"转人工；方便回电时间：{callbackWindow}");
        var created = await _changes.Store.CreateAsync(draft, cancellationToken).ConfigureAwait(false);
        _changes.ScheduleAll(created);
        return created;
    }

    /// <summary>
    /// The operator takes the case; taking it is the first response (deadline reminders stop). A case
    /// another operator holds is taken over only by an admin (after an escalation, say), never silently.
    /// </summary>
    /// <exception cref="CaseNotHeldException">Another operator holds it and the caller is no admin.</exception>
    public async Task<HotlineCase> ClaimAsync(string caseId, string operatorName, bool asAdmin, CancellationToken cancellationToken)
    {
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            if (!asAdmin && c.Assignee is { } holder && !string.Equals(holder, operatorName, StringComparison.Ordinal))
            {
                throw new CaseNotHeldException(c.Id, operatorName, holder);
            }

            _machine.Apply(c, new ClaimTransition(operatorName), operatorName);
            c.FollowUp.FirstRespondedAt ??= _time.GetUtcNow();
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return c;
    }

    /// <summary>
    /// The operator writes to the worker: the line joins the transcript, the message is queued for the
    /// worker's chat (delivered by a job, retried), and the case waits for the worker.
    /// </summary>
    /// <exception cref="CaseNotHeldException">The operator does not hold the case.</exception>
    public async Task<(HotlineCase Case, CaseDelivery Delivery)> SendOperatorMessageAsync(string caseId, string operatorName, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxMessageLength, nameof(text));
        var now = _time.GetUtcNow();
        CaseDelivery? delivery = null;
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            RequireHolder(c, operatorName, allowAdmin: false);
            if (c.Status is CaseStatus.Claimed or CaseStatus.WaitingForOperator)
            {
                _machine.Apply(c, new AskWorkerTransition(), operatorName);
            }

            c.FollowUp.FirstRespondedAt ??= now;
            delivery = NewDelivery(DeliveryKind.Operator, text.Trim(), operatorName, now);
            c.Deliveries.Add(delivery);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        await _changes.Store.AppendTranscriptAsync(c.Id, new TranscriptLine(now, TranscriptRole.Operator, PersonalData.Mask(delivery!.Text)), cancellationToken).ConfigureAwait(false);
        return (c, delivery);
    }

    /// <summary>
    /// The operator resolves the case; the worker is told, and the survey follows after the configured
    /// delay. With <paramref name="asAdmin"/> an admin may resolve a case someone else holds.
    /// </summary>
    public async Task<HotlineCase> ResolveAsync(string caseId, string operatorName, string resolution, bool asAdmin, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resolution);
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            RequireHolder(c, operatorName, asAdmin);
            _machine.Apply(c, new ResolveTransition(resolution.Trim()), operatorName);
            c.FollowUp.RelayAnnouncedTo = null;
            c.Deliveries.Add(NewDelivery(DeliveryKind.Status, CaseMessages.Resolved(c), "system", _time.GetUtcNow()));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return c;
    }

    /// <summary>The case needs a person again: back to its operator (or the queue) with a fresh first-response deadline.</summary>
    public async Task<HotlineCase> ReopenAsync(string caseId, string actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            Reopen(c, actor, reason.Trim());
            return true;
        }, cancellationToken).ConfigureAwait(false);
        await _changes.NotifyAsync(new OperatorNotification(c.Id, NotificationAudience.Operators, "reopened", CaseMessages.Reopened(c, reason.Trim())), cancellationToken).ConfigureAwait(false);
        return c;
    }

    /// <summary>The callback number in clear for the operator who holds the case; the reveal is recorded.</summary>
    /// <exception cref="UnauthorizedAccessException">The caller does not hold the case.</exception>
    public async Task<string?> RevealPhoneAsync(string caseId, string operatorName, CancellationToken cancellationToken)
    {
        string? phone = null;
        await _changes.ChangeAsync(caseId, c =>
        {
            phone = _machine.RevealCallbackPhone(c, operatorName);
            return phone is not null;
        }, cancellationToken).ConfigureAwait(false);
        return phone;
    }

    /// <summary>The case an operator holds in this conversation, and the case whose survey awaits a score.</summary>
    public async Task<(HotlineCase? Held, HotlineCase? AwaitingScore)> FindForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var cases = await _changes.Store.ListByConversationAsync(channelId, conversationId, cancellationToken).ConfigureAwait(false);
        var held = cases.FirstOrDefault(c => c.Assignee is not null && c.Status is CaseStatus.Claimed or CaseStatus.WaitingForWorker or CaseStatus.WaitingForOperator);
        var rating = cases.FirstOrDefault(c => c.Status == CaseStatus.Resolved && c.FollowUp.SurveySentAt is not null && c.FollowUp.SurveyScore is null);
        return (held, rating);
    }

    /// <summary>
    /// The worker wrote while an operator holds the case: the line joins the thread and a case that waited
    /// for the worker goes back to its operator. True once per operator: the worker is told then who has it.
    /// </summary>
    public async Task<(bool Announce, string OperatorName)> RelayFromWorkerAsync(string caseId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var announce = false;
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            announce = c.Assignee is not null && c.FollowUp.RelayAnnouncedTo != c.Assignee;
            var replied = WorkerReplied(c);
            if (announce)
            {
                c.FollowUp.RelayAnnouncedTo = c.Assignee;
            }

            return replied || announce;
        }, cancellationToken).ConfigureAwait(false);
        await _changes.Store.AppendTranscriptAsync(c.Id, new TranscriptLine(_time.GetUtcNow(), TranscriptRole.Worker, PersonalData.Mask(text)), cancellationToken).ConfigureAwait(false);
        if (c.Assignee is { } assignee)
        {
            await _changes.NotifyAsync(new OperatorNotification(c.Id, NotificationAudience.Assignee, "worker-message", CaseMessages.WorkerWrote(c), assignee), cancellationToken).ConfigureAwait(false);
        }

        return (announce, c.Assignee ?? string.Empty);
    }

    /// <summary>
    /// The worker's score for a resolved case: 1–2 reopens it for its operator, 3–5 closes it. A second
    /// score for the same resolution changes nothing. Returns the case and whether it was reopened.
    /// </summary>
    public async Task<(HotlineCase Case, bool Reopened)> RecordSurveyAsync(string caseId, int score, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(score, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 5);
        var reopened = false;
        var (c, written) = await _changes.ChangeAsync(caseId, c =>
        {
            reopened = false;
            if (c.Status != CaseStatus.Resolved || c.FollowUp.SurveyScore is not null)
            {
                return false;
            }

            c.FollowUp.SurveyScore = score;
            _machine.Record(c, "worker", "survey", score.ToString(System.Globalization.CultureInfo.InvariantCulture));
            reopened = score <= 2;
            if (reopened)
            {
                Reopen(c, "worker", $"职工评分 {score}");
            }
            else
            {
                _machine.Apply(c, new CloseTransition(), "worker", $"评分 {score}");
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (written && reopened)
        {
            await _changes.NotifyAsync(new OperatorNotification(c.Id, NotificationAudience.Operators, "reopened", CaseMessages.Reopened(c, $"职工评分 {score}")), cancellationToken).ConfigureAwait(false);
        }

        return (c, reopened);
    }

    /// <summary>
    /// Adds or replaces the callback number and window of an open case; the callback reminder is scheduled
    /// anew. A case no longer open is returned unchanged (its status says so).
    /// </summary>
    public async Task<HotlineCase> SetCallbackAsync(string caseId, string phone, string? window, CancellationToken cancellationToken)
    {
        var normalized = PhoneNumbers.Normalize(phone) ?? throw new ArgumentException("Not a valid phone number.", nameof(phone));
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            if (!CaseStatuses.IsOpen(c.Status))
            {
                return false;
            }

            c.Worker = c.Worker with { CallbackPhone = normalized };
            c.FollowUp.CallbackWindow = window ?? AnyTime;
            c.FollowUp.CallbackRemindedAt = null;
            _machine.Record(c, "worker", "callback", $"{PhoneNumbers.Mask(normalized)}；{c.FollowUp.CallbackWindow}");
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return c;
    }

    /// <summary>
    /// Keeps a picture or file the worker sent on an open case (history <c>attachment</c>), and tells the
    /// operator holding it; a case that waited for the worker goes back to its operator, as when they write.
    /// The same <paramref name="url"/> twice is kept once; a closed case is returned unchanged. <c>Added</c>
    /// is null when nothing was added.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not an absolute http or https address.</exception>
    public async Task<(HotlineCase Case, CaseAttachment? Added)> AttachAsync(string caseId, string name, string contentType, string url, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            // The console links to it: only a web address, never javascript: or a local file.
            throw new ArgumentException("An attachment needs an absolute http or https address.", nameof(url));
        }

        CaseAttachment? added = null;
        var (c, _) = await _changes.ChangeAsync(caseId, c =>
        {
            added = null;
            if (!CaseStatuses.IsOpen(c.Status) || c.Attachments.Any(a => string.Equals(a.Url, url, StringComparison.Ordinal)))
            {
                return false;
            }

            added = new CaseAttachment("a" + Guid.NewGuid().ToString("n")[..16], name ?? string.Empty, contentType.Trim(), url, _time.GetUtcNow());
            c.Attachments.Add(added);
            _machine.Record(c, "worker", "attachment", CaseMessages.AttachmentNote(added));
            // A picture the operator asked for is the worker's answer: the case must not auto-close as unanswered.
            WorkerReplied(c);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (added is not null && c.Assignee is { } assignee)
        {
            await _changes.NotifyAsync(new OperatorNotification(c.Id, NotificationAudience.Assignee, "worker-message", CaseMessages.WorkerAttached(c, added), assignee), cancellationToken).ConfigureAwait(false);
        }

        return (c, added);
    }

    internal static CaseDelivery NewDelivery(DeliveryKind kind, string text, string author, DateTimeOffset now, IReadOnlyList<string>? choices = null) => new()
    {
        Id = "d" + Guid.NewGuid().ToString("n")[..16],
        Kind = kind,
        Text = text,
        Author = author,
        CreatedAt = now,
        NextAttemptAt = now,
        Choices = choices ?? [],
    };

    /// <summary>A case that waited for the worker goes back to its operator once they write (or send a picture); true when it did.</summary>
    private bool WorkerReplied(HotlineCase c)
    {
        if (c.Status is not (CaseStatus.WaitingForWorker or CaseStatus.Claimed))
        {
            return false;
        }

        _machine.Apply(c, new WorkerRepliedTransition(), "worker");
        if (c.FollowUp.FirstRespondedAt is not null)
        {
            // The ball is with the operator again: the deadline, its reminder and escalation start over.
            c.FirstResponseDue = _deadlines.FirstResponseDue(_time.GetUtcNow(), c.Priority);
            c.FollowUp.FirstRespondedAt = null;
        }

        return true;
    }

    private void Reopen(HotlineCase c, string actor, string reason)
    {
        _machine.Apply(c, new ReopenTransition(), actor, reason);
        var now = _time.GetUtcNow();
        c.FirstResponseDue = _deadlines.FirstResponseDue(now, c.Priority);
        c.FollowUp.FirstRespondedAt = null;
        c.FollowUp.RemindedFor = null;
        c.FollowUp.EscalatedFor = null;
        c.FollowUp.SurveySentAt = null;
        c.FollowUp.SurveyScore = null;
        // The worker is told again who has the case once they write.
        c.FollowUp.RelayAnnouncedTo = null;
    }

    private static void RequireHolder(HotlineCase c, string operatorName, bool allowAdmin)
    {
        if (!allowAdmin && !string.Equals(c.Assignee, operatorName, StringComparison.Ordinal))
        {
            throw new CaseNotHeldException(c.Id, operatorName, c.Assignee);
        }
    }
}
