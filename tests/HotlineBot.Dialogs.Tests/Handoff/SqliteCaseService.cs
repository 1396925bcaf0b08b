using System.Collections.Concurrent;
using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Storage;
using HotlineBot.Cases.Workflow;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Handoff;

namespace HotlineBot.Dialogs.Tests.Handoff;

/// <summary>
/// The case service the host builds, as a thin adapter over the real <see cref="CaseWorkflow"/>: the real
/// <see cref="SqliteCaseStore"/> on a temporary file, the real state machine, deadlines and planner on the
/// seeds calendar. Follow-ups are recorded, not run, unless a test runs one (<see cref="SendSurveyAsync"/>).
/// </summary>
internal sealed class SqliteCaseService : ICaseService, IUrgentCaseOpener, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotline-cases-" + Guid.NewGuid().ToString("n"));
    private readonly WorkingCalendar _calendar;
    private readonly CaseDeadlines _deadlines;
    private readonly FollowUpPlanner _planner;
    private readonly CaseFollowUps _followUps;

    public SqliteCaseService()
    {
        _calendar = new WorkingCalendar(new OperatorHoursOptions(), HolidayCalendar.Load(Path.Combine(SeedsFixture.Directory, "calendar.yaml")));
        // The survey is due as soon as a case is resolved, so a test can send it without waiting an hour.
        var options = new FollowUpOptions { SurveyDelay = TimeSpan.Zero };
        var machine = new CaseStateMachine();
        _deadlines = new CaseDeadlines(_calendar, options);
        _planner = new FollowUpPlanner(_calendar, options);
        Store = new SqliteCaseStore(Path.Combine(_directory, "cases.db"), timeZone: _calendar.TimeZone);
        Workflow = new CaseWorkflow(Store, machine, _deadlines, _planner, Scheduler, Notifier);
        _followUps = new CaseFollowUps(Store, machine, _deadlines, _calendar, options, _planner, Scheduler, Notifier, new IgnoringMessenger());
    }

    public SqliteCaseStore Store { get; }

    public CaseWorkflow Workflow { get; }

    public RecordingScheduler Scheduler { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    /// <summary>Runs the survey follow-up of a resolved case, as the follow-up job does.</summary>
    public async Task SendSurveyAsync(string caseId)
    {
        var token = TestContext.Current.CancellationToken;
        var resolved = await Store.GetAsync(caseId, token) ?? throw new InvalidOperationException("no case " + caseId);
        var survey = _planner.Plan(resolved).Single(p => p.Kind == FollowUpKind.Survey);
        Assert.Equal(FollowUpResult.Done, await _followUps.RunAsync(caseId, FollowUpKind.Survey, survey.Key, token));
    }

    public async Task<OpenedCase> OpenAsync(ITurnContext turnContext, CaseRequest request, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var draft = new HotlineCase
        {
            Priority = request.Priority,
            Category = request.Category,
            Worker = new WorkerContact(activity.ChannelId!, activity.Conversation!.Id!,
                JsonSerializer.Serialize(activity.GetConversationReference(), ProtocolJson.Options), activity.From?.Name ?? string.Empty, request.CallbackPhone),
            Description = PersonalData.Mask(request.Description),
        };
        draft.Transcript.Add(new TranscriptLine(DateTimeOffset.UtcNow, TranscriptRole.Worker, PersonalData.Mask(request.Description)));
        var created = await Workflow.OpenAsync(draft, request.PreferredWindow, cancellationToken);
        return new OpenedCase(created.Id, _deadlines.ExpectedResponse(DateTimeOffset.UtcNow, request.Priority).Message);
    }

    public async Task<IReadOnlyList<CaseSummary>> ListForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var cases = await Store.ListByConversationAsync(channelId, conversationId, cancellationToken);
        return [.. cases.Select(c => new CaseSummary(c.Id, c.Status, _calendar.ToLocal(c.CreatedAt), c.Description))];
    }

    public async Task<ConversationCases> GetConversationCasesAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        var (held, rating) = await Workflow.FindForConversationAsync(channelId, conversationId, cancellationToken);
        return new ConversationCases(held is null ? null : new HeldCase(held.Id, held.Assignee!), rating?.Id);
    }

    public async Task<RelayOutcome> RelayToOperatorAsync(string caseId, string text, CancellationToken cancellationToken)
    {
        var (announce, operatorName) = await Workflow.RelayFromWorkerAsync(caseId, text, cancellationToken);
        return new RelayOutcome(announce, operatorName);
    }

    public async Task<SurveyOutcome> RecordSurveyAsync(string caseId, int score, CancellationToken cancellationToken)
    {
        var (hotlineCase, reopened) = await Workflow.RecordSurveyAsync(caseId, score, cancellationToken);
        return new SurveyOutcome(reopened, reopened ? _deadlines.ExpectedResponse(DateTimeOffset.UtcNow, hotlineCase.Priority).Message : null);
    }

    public async Task<bool> SetCallbackAsync(string caseId, string phone, string? window, CancellationToken cancellationToken) =>
        CaseStatuses.IsOpen((await Workflow.SetCallbackAsync(caseId, phone, window, cancellationToken).ConfigureAwait(false)).Status);

    public async Task<bool> AttachAsync(string caseId, string name, string contentType, string url, CancellationToken cancellationToken) =>
        CaseStatuses.IsOpen((await Workflow.AttachAsync(caseId, name, contentType, url, cancellationToken)).Case.Status);

    public async Task<string?> OpenUrgentAsync(ITurnContext turnContext, string category, CancellationToken cancellationToken) =>
        (await OpenAsync(turnContext, new CaseRequest($"紧急情况（{category}）：{turnContext.Activity.Text}", Priority: CasePriority.Urgent, Category: CaseCategory.Assistance), cancellationToken)).CaseId;

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

    /// <summary>Keeps what would be scheduled; nothing runs by itself.</summary>
    internal sealed class RecordingScheduler : IFollowUpScheduler
    {
        public ConcurrentQueue<PlannedFollowUp> FollowUps { get; } = new();

        public ConcurrentQueue<string> Deliveries { get; } = new();

        public void Schedule(PlannedFollowUp followUp) => FollowUps.Enqueue(followUp);

        public void ScheduleDelivery(string caseId, string deliveryId, DateTimeOffset at) => Deliveries.Enqueue(deliveryId);
    }

    internal sealed class RecordingNotifier : IOperatorNotifier
    {
        public ConcurrentQueue<OperatorNotification> Notifications { get; } = new();

        public Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
        {
            Notifications.Enqueue(notification);
            return Task.CompletedTask;
        }
    }

    /// <summary>The survey job queues a delivery; delivering it into a chat is the host's part.</summary>
    private sealed class IgnoringMessenger : IWorkerMessenger
    {
        public Task SendAsync(string caseId, WorkerContact worker, CaseDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
