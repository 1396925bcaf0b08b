namespace HotlineBot.Cases.Lifecycle;

/// <summary>
/// The one place a case's status changes: it checks a <see cref="CaseTransition"/> against the current
/// status, applies it and appends the history event, in that order, so a refused step changes nothing.
/// It changes the case in memory only; the caller saves it with <see cref="ICaseStore.UpdateAsync"/>.
/// </summary>
public sealed class CaseStateMachine(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Starts a draft's history: status <see cref="CaseStatus.New"/> and the <c>open</c> event.</summary>
    public CaseEvent Open(HotlineCase draft, string actor, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (draft.History.Count > 0)
        {
            throw new InvalidOperationException($"Case '{draft.Id}' is already open.");
        }

        draft.Status = CaseStatus.New;
        var opened = new CaseEvent(_time.GetUtcNow(), actor, "open", null, CaseStatus.New, note);
        draft.AddEvent(opened);
        return opened;
    }

    /// <summary>Applies <paramref name="transition"/> and records it.</summary>
    /// <exception cref="InvalidCaseTransitionException">The case's status does not allow it.</exception>
    public CaseEvent Apply(HotlineCase hotlineCase, CaseTransition transition, string actor, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        var from = hotlineCase.Status;
        if (!transition.IsAllowedFrom(from))
        {
            throw new InvalidCaseTransitionException(hotlineCase.Id, transition.Name, from, transition.AllowedFrom);
        }

        var to = transition.TargetFor(hotlineCase);
        transition.ApplyTo(hotlineCase);
        hotlineCase.Status = to;
        var applied = new CaseEvent(_time.GetUtcNow(), actor, transition.Name, from, to, note);
        hotlineCase.AddEvent(applied);
        return applied;
    }

    /// <summary>Whether <paramref name="transition"/> may be applied now (for enabling buttons).</summary>
    public static bool CanApply(HotlineCase hotlineCase, CaseTransition transition)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        ArgumentNullException.ThrowIfNull(transition);
        return transition.IsAllowedFrom(hotlineCase.Status);
    }

    /// <summary>
    /// The callback phone in clear, for the assigned operator only; the reveal is recorded in the
    /// history (action <c>reveal-phone</c>, status unchanged). Save the case afterwards.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException"><paramref name="operatorName"/> is not the assignee.</exception>
    public string? RevealCallbackPhone(HotlineCase hotlineCase, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        if (!string.Equals(hotlineCase.Assignee, operatorName, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"Only the assigned operator may reveal the callback phone of case '{hotlineCase.Id}'.");
        }

        if (hotlineCase.Worker.CallbackPhone is null)
        {
            return null;
        }

        Record(hotlineCase, operatorName, "reveal-phone");
        return hotlineCase.Worker.CallbackPhone;
    }

    /// <summary>Records an action that changes no status (a reminder, an escalation, a survey score) in the history.</summary>
    public CaseEvent Record(HotlineCase hotlineCase, string actor, string action, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(hotlineCase);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        var recorded = new CaseEvent(_time.GetUtcNow(), actor, action, hotlineCase.Status, hotlineCase.Status, note);
        hotlineCase.AddEvent(recorded);
        return recorded;
    }
}
