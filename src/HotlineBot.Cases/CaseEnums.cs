namespace HotlineBot.Cases;

/// <summary>
/// Where a case stands. Reopening is not a status but an event (<see cref="Lifecycle.ReopenTransition"/>)
/// that takes a resolved or closed case back to <see cref="WaitingForOperator"/> when an operator
/// had it, else to <see cref="New"/>.
/// </summary>
public enum CaseStatus
{
    /// <summary>Opened, no operator has it yet.</summary>
    New,

    /// <summary>An operator holds it and is working on it.</summary>
    Claimed,

    /// <summary>The operator asked the worker something and waits for the answer.</summary>
    WaitingForWorker,

    /// <summary>The ball is with the operators (the worker answered, or the case was reopened).</summary>
    WaitingForOperator,

    /// <summary>The operator resolved it; the satisfaction question is still to come.</summary>
    Resolved,

    /// <summary>Done for good (until reopened).</summary>
    Closed,
}

/// <summary>How soon a person must answer; the follow-up rules give each its first-response deadline.</summary>
public enum CasePriority
{
    Urgent,
    High,
    Normal,
}

/// <summary>The five categories of a 12351 work order.</summary>
public enum CaseCategory
{
    /// <summary>咨询</summary>
    Consultation,

    /// <summary>帮扶</summary>
    Assistance,

    /// <summary>投诉</summary>
    Complaint,

    /// <summary>法律援助</summary>
    LegalAid,

    /// <summary>建议</summary>
    Suggestion,
}

/// <summary>Who said a transcript line.</summary>
public enum TranscriptRole
{
    Worker,
    Bot,
    Operator,
}

/// <summary>Status sets that callers and stores share.</summary>
public static class CaseStatuses
{
    /// <summary>
    /// The statuses of an open case: every one but <see cref="CaseStatus.Closed"/>. A resolved case is
    /// still open because its satisfaction question (and a possible reopening) is still pending.
    /// </summary>
    public static IReadOnlyList<CaseStatus> Open { get; } =
        [CaseStatus.New, CaseStatus.Claimed, CaseStatus.WaitingForWorker, CaseStatus.WaitingForOperator, CaseStatus.Resolved];

    public static bool IsOpen(CaseStatus status) => status != CaseStatus.Closed;

    /// <summary>The Chinese label shown to workers and operators.</summary>
    public static string CategoryLabel(CaseCategory category) => category switch
    {
        CaseCategory.Consultation => "咨询",
        CaseCategory.Assistance => "帮扶",
        CaseCategory.Complaint => "投诉",
        CaseCategory.LegalAid => "法律援助",
        CaseCategory.Suggestion => "建议",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}
