using System.Text.Json.Serialization;

namespace HotlineBot.Cases;

/// <summary>
/// The follow-up facts of a case. Each job's precondition is read from here (and from the status), and
/// each job records its effect here in the same versioned write, which is what makes a second run of
/// the same job a no-op.
/// </summary>
public sealed class CaseFollowUp
{
    /// <summary>When operators were told about the new case.</summary>
    [JsonInclude]
    public DateTimeOffset? NotifiedAt { get; internal set; }

    /// <summary>When an operator first took the case (claimed it or wrote to the worker); cleared when the case is reopened.</summary>
    [JsonInclude]
    public DateTimeOffset? FirstRespondedAt { get; internal set; }

    /// <summary>The first-response deadline that operators were reminded of.</summary>
    [JsonInclude]
    public DateTimeOffset? RemindedFor { get; internal set; }

    /// <summary>The first-response deadline whose miss was escalated.</summary>
    [JsonInclude]
    public DateTimeOffset? EscalatedFor { get; internal set; }

    /// <summary>The worker's preferred callback window (工作日上午 / 工作日下午 / 随时), when they left a number.</summary>
    [JsonInclude]
    public string? CallbackWindow { get; internal set; }

    /// <summary>When the operators were reminded to call back.</summary>
    [JsonInclude]
    public DateTimeOffset? CallbackRemindedAt { get; internal set; }

    /// <summary>When the satisfaction question was queued for the worker; cleared when the case is reopened.</summary>
    [JsonInclude]
    public DateTimeOffset? SurveySentAt { get; internal set; }

    /// <summary>The worker's score, 1–5; cleared when the case is reopened (the history keeps it).</summary>
    [JsonInclude]
    public int? SurveyScore { get; internal set; }

    /// <summary>The operator the worker was told holds the case (the bot says it once per operator).</summary>
    [JsonInclude]
    public string? RelayAnnouncedTo { get; internal set; }

    internal CaseFollowUp Copy() => (CaseFollowUp)MemberwiseClone();
}

/// <summary>What a message to the worker is: an operator's words, a notice about the case, or the survey.</summary>
public enum DeliveryKind
{
    Operator,
    Status,
    Survey,
}

/// <summary>Where a message to the worker stands.</summary>
public enum DeliveryState
{
    /// <summary>Not delivered yet; the delivery job tries at <see cref="CaseDelivery.NextAttemptAt"/>.</summary>
    Pending,

    Delivered,

    /// <summary>Every attempt failed; the operator sees it and calls back or writes again.</summary>
    Failed,

    /// <summary>
    /// The channel will never take it (outside its reply window, the worker left, a send whose outcome is
    /// unknown): no retry; the operator sees <see cref="CaseDelivery.LastError"/> and calls back.
    /// </summary>
    Undeliverable,
}


/// <summary>
/// One message for the worker's chat, kept on the case until it is delivered (an outbox): the delivery
/// job sends it into the worker's conversation and records the outcome, retrying with backoff.
/// </summary>
public sealed class CaseDelivery
{
    public required string Id { get; init; }

    public required DeliveryKind Kind { get; init; }

    public required string Text { get; init; }

    /// <summary>The operator who wrote it, or <c>system</c>.</summary>
    public required string Author { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Reply buttons (the survey's 1–5).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    [JsonInclude]
    public DeliveryState State { get; internal set; } = DeliveryState.Pending;

    /// <summary>Attempts started so far.</summary>
    [JsonInclude]
    public int Attempts { get; internal set; }

    /// <summary>
    /// When the next attempt may start. An attempt moves it forward before it sends (a lease), so a
    /// duplicate job that arrives meanwhile finds it in the future and does nothing.
    /// </summary>
    [JsonInclude]
    public DateTimeOffset NextAttemptAt { get; internal set; }

    [JsonInclude]
    public DateTimeOffset? DeliveredAt { get; internal set; }

    /// <summary>
    /// Why the last attempt failed (no personal data: an exception type and HTTP status), or, when
    /// <see cref="DeliveryState.Undeliverable"/>, the channel's reason in words for operators.
    /// </summary>
    [JsonInclude]
    public string? LastError { get; internal set; }
}
