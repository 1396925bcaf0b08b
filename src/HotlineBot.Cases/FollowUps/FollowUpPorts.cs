namespace HotlineBot.Cases.FollowUps;

/// <summary>
/// Runs follow-ups later (Hangfire in the host). Scheduling the same follow-up twice is harmless: a job
/// checks the case again when it runs and does nothing when its fact is gone or already handled.
/// </summary>
public interface IFollowUpScheduler
{
    /// <summary>Runs <c>CaseFollowUps.RunAsync</c> for <paramref name="followUp"/> at its due time (now when past).</summary>
    void Schedule(PlannedFollowUp followUp);

    /// <summary>Runs <c>CaseFollowUps.DeliverAsync</c> for the delivery at <paramref name="at"/> (now when past).</summary>
    void ScheduleDelivery(string caseId, string deliveryId, DateTimeOffset at);

    /// <summary>
    /// A job that ran before its time puts itself back: a scheduler that skips follow-ups it has scheduled
    /// already must not skip this one, since the job asking is the one that was scheduled.
    /// </summary>
    void Reschedule(PlannedFollowUp followUp) => Schedule(followUp);

    /// <summary>As <see cref="Reschedule"/>, for a delivery that ran before its next attempt was due.</summary>
    void RescheduleDelivery(string caseId, string deliveryId, DateTimeOffset at) => ScheduleDelivery(caseId, deliveryId, at);
}

/// <summary>Sends a message into the worker's own conversation (the continue-conversation API in the host).</summary>
public interface IWorkerMessenger
{
    /// <summary>
    /// Sends it, or throws when the channel refused it or could not be reached (the delivery job tries again).
    /// Throws <see cref="WorkerUnreachableException"/> when retrying would not help: the channel will never
    /// take this message (outside its reply window, the worker left) or a retry might show it twice.
    /// </summary>
    /// <exception cref="WorkerUnreachableException">The message cannot reach the worker's chat; no retry.</exception>
    Task SendAsync(string caseId, WorkerContact worker, CaseDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>
/// The worker's chat will not take this message, and trying again would not change that (or might show it
/// twice). The delivery is marked undeliverable at once, with <see cref="Reason"/>, so an operator calls back
/// instead of waiting for retries that cannot succeed.
/// </summary>
public sealed class WorkerUnreachableException : Exception
{
    public WorkerUnreachableException()
        : this("职工的聊天无法接收这条消息。")
    {
    }

    public WorkerUnreachableException(string reason)
        : this(reason, null)
    {
    }

    public WorkerUnreachableException(string reason, Exception? innerException)
        : base(reason, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Reason = reason;
    }

    /// <summary>Why, in words an operator reads (Simplified Chinese), with no personal data.</summary>
    public string Reason { get; }
}

/// <summary>Who a notification is for.</summary>
public enum NotificationAudience
{
    /// <summary>Every operator (and admin).</summary>
    Operators,

    /// <summary>Admins only.</summary>
    Admins,

    /// <summary>One operator: <see cref="OperatorNotification.Operator"/>.</summary>
    Assignee,
}

/// <summary>Something operators should know now. Texts are for people and carry no unmasked personal numbers.</summary>
public sealed record OperatorNotification(string CaseId, NotificationAudience Audience, string Kind, string Text, string? Operator = null);

/// <summary>Tells operators where they are (the console's feed; other channels may follow).</summary>
public interface IOperatorNotifier
{
    Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken);
}
