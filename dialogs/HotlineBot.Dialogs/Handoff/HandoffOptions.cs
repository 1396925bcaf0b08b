namespace HotlineBot.Dialogs.Handoff;

/// <summary>How the handoff dialog begins: what is already known about what happened.</summary>
/// <param name="Description">What happened, when the triggering message (or the answer 没解决 refers to) already says; null to ask.</param>
/// <param name="LastBotAnswer">The bot's last answer (for 没解决), kept in the case's transcript.</param>
/// <param name="Trigger">Why the handoff began: person-request, not-solved, fallback.</param>
public sealed record HandoffOptions(string? Description = null, string? LastBotAnswer = null, string Trigger = "person-request");

/// <summary>How the handoff dialog ended.</summary>
/// <param name="CaseId">The opened case, or null when the worker said no (or opening failed).</param>
public sealed record HandoffResult(string? CaseId);
