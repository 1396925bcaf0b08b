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
}

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
