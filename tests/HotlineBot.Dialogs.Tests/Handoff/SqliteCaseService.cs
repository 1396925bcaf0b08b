using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Storage;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Handoff;

namespace HotlineBot.Dialogs.Tests.Handoff;

/// <summary>
/// The case service as the host builds it, over the real <see cref="SqliteCaseStore"/> on a temporary
/// file and the real calendar (seeds/calendar.yaml, default working hours).
/// </summary>
internal sealed class SqliteCaseService : ICaseService, IUrgentCaseOpener, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotline-cases-" + Guid.NewGuid().ToString("n"));
    private readonly CaseStateMachine _stateMachine = new();
    private readonly WorkingCalendar _calendar;
    private readonly CaseDeadlines _deadlines;

    public SqliteCaseService()
    {
        _calendar = new WorkingCalendar(new OperatorHoursOptions(), HolidayCalendar.Load(Path.Combine(SeedsFixture.Directory, "calendar.yaml")));
        _deadlines = new CaseDeadlines(_calendar, new FollowUpOptions());
        Store = new SqliteCaseStore(Path.Combine(_directory, "cases.db"), timeZone: _calendar.TimeZone);
    }

    public SqliteCaseStore Store { get; }

    public async Task<OpenedCase> OpenAsync(ITurnContext turnContext, CaseRequest request, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var now = DateTimeOffset.UtcNow;
        var draft = new HotlineCase
        {
            Priority = request.Priority,
            Category = request.Category,
            Worker = new WorkerContact(activity.ChannelId!, activity.Conversation!.Id!,
                JsonSerializer.Serialize(activity.GetConversationReference(), ProtocolJson.Options), activity.From?.Name ?? string.Empty, request.CallbackPhone),
            Description = request.Description,
            CreatedAt = now,
            FirstResponseDue = _deadlines.FirstResponseDue(now, request.Priority),
        };
        draft.Transcript.Add(new TranscriptLine(now, TranscriptRole.Worker, request.Description));
        _stateMachine.Open(draft, "bot", request.PreferredWindow);
        var created = await Store.CreateAsync(draft, cancellationToken);
        return new OpenedCase(created.Id, _deadlines.ExpectedResponse(now, request.Priority).Message);
    }

    public async Task<IReadOnlyList<CaseSummary>> ListForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var cases = await Store.ListByConversationAsync(channelId, conversationId, cancellationToken);
        return [.. cases.Select(c => new CaseSummary(c.Id, c.Status, _calendar.ToLocal(c.CreatedAt), c.Description))];
    }

    public async Task<string?> OpenUrgentAsync(ITurnContext turnContext, string category, CancellationToken cancellationToken) =>
        (await OpenAsync(turnContext, new CaseRequest("紧急：" + turnContext.Activity.Text, Priority: CasePriority.Urgent, Category: CaseCategory.Assistance), cancellationToken)).CaseId;

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
