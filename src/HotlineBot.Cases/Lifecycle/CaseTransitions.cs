namespace HotlineBot.Cases.Lifecycle;

/// <summary>
/// One kind of step in a case's life: which statuses it starts from, where it leads and what else it
/// changes. <see cref="CaseStateMachine"/> checks, applies and records them; the table of all of them:
/// <code>
/// open           (draft)                                   → New
/// claim          New, WaitingForOperator                   → Claimed             (sets the assignee)
/// ask-worker     Claimed, WaitingForOperator               → WaitingForWorker
/// worker-replied WaitingForWorker, Claimed                 → WaitingForOperator
/// resolve        Claimed, WaitingForWorker, WaitingForOperator → Resolved        (sets the resolution)
/// close          Resolved, WaitingForWorker                → Closed              (WaitingForWorker: auto-close)
/// reopen         Resolved, Closed                          → WaitingForOperator when the case has an
///                                                            assignee (it goes back to that operator's
///                                                            queue), else New; clears the resolution
/// </code>
/// </summary>
public abstract class CaseTransition
{
    private protected CaseTransition(string name, params CaseStatus[] allowedFrom)
    {
        Name = name;
        AllowedFrom = allowedFrom;
    }

    /// <summary>The name recorded as the history event's action.</summary>
    public string Name { get; }

    public IReadOnlyCollection<CaseStatus> AllowedFrom { get; }

    public bool IsAllowedFrom(CaseStatus status) => AllowedFrom.Contains(status);

    /// <summary>The status the case has after this step.</summary>
    public abstract CaseStatus TargetFor(HotlineCase hotlineCase);

    /// <summary>What the step changes besides the status (assignee, resolution).</summary>
    internal virtual void ApplyTo(HotlineCase hotlineCase)
    {
    }
}

/// <summary>An operator takes the case (from the queue, or back after the worker answered).</summary>
public sealed class ClaimTransition(string assignee) : CaseTransition("claim", CaseStatus.New, CaseStatus.WaitingForOperator)
{
    public string Assignee { get; } = string.IsNullOrWhiteSpace(assignee) ? throw new ArgumentException("An assignee is required.", nameof(assignee)) : assignee;

    public override CaseStatus TargetFor(HotlineCase hotlineCase) => CaseStatus.Claimed;

    internal override void ApplyTo(HotlineCase hotlineCase) => hotlineCase.Assignee = Assignee;
}

/// <summary>The operator asked the worker something and waits.</summary>
public sealed class AskWorkerTransition() : CaseTransition("ask-worker", CaseStatus.Claimed, CaseStatus.WaitingForOperator)
{
    public override CaseStatus TargetFor(HotlineCase hotlineCase) => CaseStatus.WaitingForWorker;
}

/// <summary>The worker wrote (an answer, or more while the operator works on it); the case waits for its operator.</summary>
public sealed class WorkerRepliedTransition() : CaseTransition("worker-replied", CaseStatus.WaitingForWorker, CaseStatus.Claimed)
{
    public override CaseStatus TargetFor(HotlineCase hotlineCase) => CaseStatus.WaitingForOperator;
}

/// <summary>The operator resolved the case.</summary>
public sealed class ResolveTransition(string resolution)
    : CaseTransition("resolve", CaseStatus.Claimed, CaseStatus.WaitingForWorker, CaseStatus.WaitingForOperator)
{
    public string Resolution { get; } = string.IsNullOrWhiteSpace(resolution) ? throw new ArgumentException("A resolution is required.", nameof(resolution)) : resolution;

    public override CaseStatus TargetFor(HotlineCase hotlineCase) => CaseStatus.Resolved;

    internal override void ApplyTo(HotlineCase hotlineCase) => hotlineCase.Resolution = Resolution;
}

/// <summary>The case is done: after resolution, or when a worker who was asked never answered.</summary>
public sealed class CloseTransition() : CaseTransition("close", CaseStatus.Resolved, CaseStatus.WaitingForWorker)
{
    public override CaseStatus TargetFor(HotlineCase hotlineCase) => CaseStatus.Closed;
}

/// <summary>
/// The case needs a person again (a low satisfaction score, or an operator's decision): back to
/// <see cref="CaseStatus.WaitingForOperator"/> when an operator had it, so it returns to them, else to
/// <see cref="CaseStatus.New"/> for the whole queue. The old resolution is cleared (the history keeps it).
/// </summary>
public sealed class ReopenTransition() : CaseTransition("reopen", CaseStatus.Resolved, CaseStatus.Closed)
{
    public override CaseStatus TargetFor(HotlineCase hotlineCase) =>
        hotlineCase.Assignee is null ? CaseStatus.New : CaseStatus.WaitingForOperator;

    internal override void ApplyTo(HotlineCase hotlineCase) => hotlineCase.Resolution = null;
}
