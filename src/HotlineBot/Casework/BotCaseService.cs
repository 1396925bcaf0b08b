using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.Cases;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases.Workflow;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Handoff;
using CaseTranscriptLine = HotlineBot.Cases.TranscriptLine;

namespace HotlineBot.Casework;

/// <summary>
/// Opens and lists the worker's cases for the dialogs, over <see cref="ICaseStore"/>: a handoff opens a
/// case (the state machine's <c>open</c> event, the first-response deadline from <see cref="CaseDeadlines"/>,
/// the conversation reference to reply into, and the conversation's recent lines as its transcript);
/// an emergency opens an urgent one at once. The case is on disk before the worker is told its number.
/// </summary>
public sealed class BotCaseService(
    CaseWorkflow workflow,
    CaseDeadlines deadlines,
    WorkingCalendar calendar,
    TimeProvider time,
    ILogger<BotCaseService> logger,
    ITranscriptStore? transcripts = null) : ICaseService, IUrgentCaseOpener
{
    /// <summary>How many recent lines of the conversation go into a new case's transcript.</summary>
    public const int TranscriptLines = 20;

    public async Task<OpenedCase> OpenAsync(ITurnContext turnContext, CaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var draft = new HotlineCase
        {
            Priority = request.Priority,
            Category = request.Category,
            Worker = Contact(turnContext.Activity, request.CallbackPhone),
            Description = PersonalData.Mask(request.Description),
            CreatedAt = calendar.ToLocal(now),
        };
        foreach (var line in await TranscriptAsync(turnContext.Activity, request, cancellationToken).ConfigureAwait(false))
        {
            draft.Transcript.Add(line);
        }

        var created = await workflow.OpenAsync(draft, request.PreferredWindow, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Case {CaseId} opened ({Priority}, {Category}) for conversation {ConversationId}",
            created.Id, created.Priority, created.Category, created.Worker.ConversationId);
        return new OpenedCase(created.Id, deadlines.ExpectedResponse(now, request.Priority).Message);
    }

    public async Task<IReadOnlyList<CaseSummary>> ListForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var cases = await workflow.Store.ListByConversationAsync(channelId, conversationId, cancellationToken).ConfigureAwait(false);
        return [.. cases.Select(c => new CaseSummary(c.Id, c.Status, calendar.ToLocal(c.CreatedAt), c.Description))];
    }

    public async Task<ConversationCases> GetConversationCasesAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var (held, rating) = await workflow.FindForConversationAsync(channelId, conversationId, cancellationToken).ConfigureAwait(false);
        return held is null && rating is null
            ? ConversationCases.None
            : new ConversationCases(held is null ? null : new HeldCase(held.Id, held.Assignee!), rating?.Id);
    }

    public async Task<RelayOutcome> RelayToOperatorAsync(string caseId, string text, CancellationToken cancellationToken)
    {
        var (announce, operatorName) = await workflow.RelayFromWorkerAsync(caseId, text, cancellationToken).ConfigureAwait(false);
        return new RelayOutcome(announce, operatorName);
    }

    public async Task<SurveyOutcome> RecordSurveyAsync(string caseId, int score, CancellationToken cancellationToken)
    {
        var (hotlineCase, reopened) = await workflow.RecordSurveyAsync(caseId, score, cancellationToken).ConfigureAwait(false);
        return reopened
            ? new SurveyOutcome(true, deadlines.ExpectedResponse(time.GetUtcNow(), hotlineCase.Priority).Message)
            : new SurveyOutcome(false);
    }

    public async Task<bool> SetCallbackAsync(string caseId, string phone, string? window, CancellationToken cancellationToken) =>
        CaseStatuses.IsOpen((await workflow.SetCallbackAsync(caseId, phone, window, cancellationToken).ConfigureAwait(false)).Status);

    public async Task<bool> AttachAsync(string caseId, string name, string contentType, string url, CancellationToken cancellationToken)
    {
        var (hotlineCase, added) = await workflow.AttachAsync(caseId, name, contentType, url, cancellationToken).ConfigureAwait(false);
        if (added is not null)
        {
            logger.LogInformation("Attachment {AttachmentId} ({ContentType}) added to case {CaseId}", added.Id, added.ContentType, hotlineCase.Id);
        }

        return CaseStatuses.IsOpen(hotlineCase.Status);
    }

    public async Task<string?> OpenUrgentAsync(ITurnContext turnContext, string category, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text?.Trim() ?? string.Empty;
        var request = new CaseRequest(
            $"紧急情况（{DangerLabel(category)}）：{text}",
            Priority: CasePriority.Urgent,
            Category: CaseCategory.Assistance);
        var opened = await OpenAsync(turnContext, request, cancellationToken).ConfigureAwait(false);
        return opened.CaseId;
    }

    /// <summary>The operators read Chinese: seeds/emergency.yaml's category names, as labels.</summary>
    private static string DangerLabel(string category) => category switch
    {
        "violence-or-confinement" => "暴力或限制人身自由",
        "injury" => "受伤",
        "fire" => "火灾",
        "gas-leak" => "燃气泄漏",
        "self-harm" => "自伤风险",
        _ => category,
    };

    private static WorkerContact Contact(Activity activity, string? phone)
    {
        var reference = activity.GetConversationReference();
        return new WorkerContact(
            activity.ChannelId ?? string.Empty,
            activity.Conversation?.Id ?? string.Empty,
            JsonSerializer.Serialize(reference, ProtocolJson.Options),
            activity.From?.Name ?? string.Empty,
            phone);
    }

    /// <summary>The conversation's recent lines when the transcript store has them; else what happened and the bot's last answer.</summary>
    private async Task<IReadOnlyList<CaseTranscriptLine>> TranscriptAsync(Activity activity, CaseRequest request, CancellationToken cancellationToken)
    {
        var lines = new List<CaseTranscriptLine>();
        // An emergency's case must open within the urgent-case timeout: it keeps the message alone rather than wait on the transcript queue.
        if (transcripts is not null && request.Priority != CasePriority.Urgent && activity.Conversation?.Id is { } conversationId)
        {
            try
            {
                // Events and typing take no room: read more than needed, keep the last messages.
                var recent = await transcripts.GetTranscriptActivitiesAsync(activity.ChannelId ?? string.Empty, conversationId, TranscriptLines * 3, cancellationToken).ConfigureAwait(false);
                lines.AddRange(recent
                    .Where(a => a.Type == ActivityTypes.Message && !string.IsNullOrWhiteSpace(a.Text))
                    .TakeLast(TranscriptLines)
                    .Select(a => new CaseTranscriptLine(a.Timestamp ?? time.GetUtcNow(), a.From?.Role == RoleTypes.Bot ? TranscriptRole.Bot : TranscriptRole.Worker, PersonalData.Mask(a.Text))));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reading the transcript of conversation {ConversationId} failed; the case keeps the description only", conversationId);
                lines.Clear();
            }
        }

        if (lines.Count == 0)
        {
            var now = time.GetUtcNow();
            if (request.LastBotAnswer is { Length: > 0 } answer)
            {
                lines.Add(new CaseTranscriptLine(now, TranscriptRole.Bot, PersonalData.Mask(answer)));
            }

            lines.Add(new CaseTranscriptLine(now, TranscriptRole.Worker, PersonalData.Mask(request.Description)));
        }

        return lines;
    }
}
