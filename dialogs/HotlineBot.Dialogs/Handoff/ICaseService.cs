using HotlineBot.BotFramework.Builder;
using HotlineBot.Cases;

namespace HotlineBot.Dialogs.Handoff;

/// <summary>
/// Opens and lists the worker's cases (implemented where cases live, over <see cref="ICaseStore"/>).
/// The dialogs know only this interface.
/// </summary>
public interface ICaseService
{
    /// <summary>Opens a case for this turn's conversation; it is on disk when this returns, before the worker is told its number.</summary>
    Task<OpenedCase> OpenAsync(ITurnContext turnContext, CaseRequest request, CancellationToken cancellationToken);

    /// <summary>The cases opened from this conversation, newest first.</summary>
    Task<IReadOnlyList<CaseSummary>> ListForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// What this conversation's cases ask of the current turn: a case an operator holds (its messages
    /// go to the operator, not to the knowledge base) and a case whose satisfaction question awaits a
    /// score. One read per turn.
    /// </summary>
    Task<ConversationCases> GetConversationCasesAsync(string channelId, string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the worker's message to the held case's thread (masked), and moves a case that waited for the
    /// worker back to its operator. <see cref="RelayOutcome.Announce"/> is true exactly once per operator
    /// holding the case: the bot says then that a staff member has it, and stays silent afterwards.
    /// </summary>
    Task<RelayOutcome> RelayToOperatorAsync(string caseId, string text, CancellationToken cancellationToken);

    /// <summary>Records the worker's satisfaction score (1–5): 1–2 reopens the case for an operator, 3–5 closes it.</summary>
    Task<SurveyOutcome> RecordSurveyAsync(string caseId, int score, CancellationToken cancellationToken);

    /// <summary>Adds or replaces the callback number and window of an open case (after an emergency opened it); false when the case is no longer open.</summary>
    Task<bool> SetCallbackAsync(string caseId, string phone, string? window, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a picture or file the worker sent (<paramref name="url"/>: the channel's absolute http(s) link) on the
    /// case, so the operator sees it; the same url twice is kept once. False when the case is no longer open.
    /// </summary>
    Task<bool> AttachAsync(string caseId, string name, string contentType, string url, CancellationToken cancellationToken);
}

/// <summary>The conversation's cases that change how a turn is handled; both null in most conversations.</summary>
public sealed record ConversationCases(HeldCase? Held, string? SurveyCaseId)
{
    public static ConversationCases None { get; } = new(null, null);
}

/// <summary>A case an operator holds: the worker's messages are relayed to <paramref name="OperatorName"/>.</summary>
public sealed record HeldCase(string CaseId, string OperatorName);

/// <summary>Whether the bot should say (once) that a staff member has the case.</summary>
public sealed record RelayOutcome(bool Announce, string OperatorName);

/// <summary>What the score did: <paramref name="Reopened"/> for 1–2 (with when a person will answer again), else closed.</summary>
public sealed record SurveyOutcome(bool Reopened, string? ExpectedResponse = null);

/// <summary>What the handoff dialog collected.</summary>
/// <param name="Description">What happened, in the worker's words (or the question the bot answered).</param>
/// <param name="CallbackPhone">The normalized callback number, or null when the worker skipped it.</param>
/// <param name="PreferredWindow">The preferred callback window (工作日上午 / 工作日下午 / 随时), or null.</param>
/// <param name="LastBotAnswer">What the bot answered before the handoff, when known.</param>
/// <param name="Priority">Normal for a handoff; urgent cases come from emergencies.</param>
/// <param name="Category">咨询 unless the words make another obvious.</param>
public sealed record CaseRequest(
    string Description,
    string? CallbackPhone = null,
    string? PreferredWindow = null,
    string? LastBotAnswer = null,
    CasePriority Priority = CasePriority.Normal,
    CaseCategory Category = CaseCategory.Consultation);

/// <summary>The opened case's id and the sentence that says when a person will answer.</summary>
public sealed record OpenedCase(string CaseId, string ExpectedResponse);

/// <summary>One of the worker's cases, as "我的工单" lists it.</summary>
public sealed record CaseSummary(string CaseId, CaseStatus Status, DateTimeOffset CreatedAt, string Description);
