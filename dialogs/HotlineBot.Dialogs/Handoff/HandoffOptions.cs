namespace HotlineBot.Dialogs.Handoff;

/// <summary>How the handoff dialog begins: what is already known about what happened.</summary>
/// <param name="Description">What happened, when the triggering message (or the answer 没解决 refers to) already says; null to ask.</param>
/// <param name="LastBotAnswer">The bot's last answer (for 没解决), kept in the case's transcript.</param>
/// <param name="Trigger">Why the handoff began: person-request, not-solved, fallback, emergency-callback.</param>
/// <param name="ExistingCaseId">
/// A case that is already open (the urgent case an emergency opened): the dialog asks only for the number
/// and the window and adds them to that case instead of opening a new one.
/// </param>
public sealed record HandoffOptions(string? Description = null, string? LastBotAnswer = null, string Trigger = "person-request", string? ExistingCaseId = null)
{
    public const string EmergencyCallbackTrigger = "emergency-callback";

    /// <summary>A callback for the urgent case an emergency opened.</summary>
    public static HandoffOptions CallbackFor(string caseId) => new(Trigger: EmergencyCallbackTrigger, ExistingCaseId: caseId);
}

/// <summary>How the handoff dialog ended.</summary>
/// <param name="CaseId">The case opened (or given a callback number), or null when the worker said no (or it failed).</param>
/// <param name="Opened">What an agent hub is told, when this dialog opened <paramref name="CaseId"/>; null for a callback added to an existing case.</param>
public sealed record HandoffResult(string? CaseId, HandoffContext? Opened = null);
