using System.Net;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Lifecycle;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Storage;
using HotlineBot.Cases.Tests.Storage;
using HotlineBot.Cases.Workflow;
using HotlineBot.Cases.Tests.Scheduling;
using static HotlineBot.Cases.Tests.Scheduling.SchedulingFixtures;

namespace HotlineBot.Cases.Tests.Workflow;

/// <summary>A delivery job the scheduler was asked to run.</summary>
public sealed record ScheduledDelivery(string CaseId, string DeliveryId, DateTimeOffset At);

/// <summary>Records what it is asked to run (Hangfire in the host), so tests can check it and run it themselves.</summary>
public sealed class RecordingScheduler : IFollowUpScheduler
{
    private readonly Lock _lock = new();
    private readonly List<PlannedFollowUp> _followUps = [];
    private readonly List<ScheduledDelivery> _deliveries = [];

    public IReadOnlyList<PlannedFollowUp> FollowUps
    {
        get
        {
            lock (_lock)
            {
                return [.. _followUps];
            }
        }
    }

    public IReadOnlyList<ScheduledDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _deliveries];
            }
        }
    }

    public void Schedule(PlannedFollowUp followUp)
    {
        lock (_lock)
        {
            _followUps.Add(followUp);
        }
    }

    public void ScheduleDelivery(string caseId, string deliveryId, DateTimeOffset at)
    {
        lock (_lock)
        {
            _deliveries.Add(new ScheduledDelivery(caseId, deliveryId, at));
        }
    }

    /// <summary>Forgets what was scheduled so far, so a test sees only what its own step scheduled.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _followUps.Clear();
            _deliveries.Clear();
        }
    }
}

/// <summary>Keeps every notification (the operator console's feed in the host).</summary>
public sealed class RecordingNotifier : IOperatorNotifier
{
    private readonly Lock _lock = new();
    private readonly List<OperatorNotification> _sent = [];

    public IReadOnlyList<OperatorNotification> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<OperatorNotification> OfKind(string kind) => [.. Sent.Where(n => n.Kind == kind)];

    public Task NotifyAsync(OperatorNotification notification, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _sent.Add(notification);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A message that reached the worker's chat.</summary>
public sealed record SentMessage(string CaseId, string ConversationId, string DeliveryId, DeliveryKind Kind, string Text);

/// <summary>
/// The worker's chat channel: it fails the next N sends as a channel answering 502 would, and can hold
/// sends in flight so a test can start a second job meanwhile.
/// </summary>
public sealed class ScriptedMessenger : IWorkerMessenger
{
    private readonly Lock _lock = new();
    private readonly List<SentMessage> _sent = [];
    private readonly TaskCompletionSource _firstSendStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _hold;
    private int _failuresLeft;
    private string? _unreachable;
    private int _calls;

    /// <summary>Sends attempted, failed ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Completes when a send starts (held or not).</summary>
    public Task FirstSendStarted => _firstSendStarted.Task;

    public void FailNext(int times)
    {
        lock (_lock)
        {
            _failuresLeft = times;
        }
    }

    /// <summary>Every send from now on is refused for good, as a channel outside its reply window refuses it, with this reason.</summary>
    public void Unreachable(string reason) => Volatile.Write(ref _unreachable, reason);

    /// <summary>Sends wait until the returned source is completed.</summary>
    public TaskCompletionSource HoldSends()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _hold, hold);
        return hold;
    }

    public async Task SendAsync(string caseId, WorkerContact worker, CaseDelivery delivery, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        _firstSendStarted.TrySetResult();
        if (Volatile.Read(ref _hold) is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (Volatile.Read(ref _unreachable) is { } reason)
        {
            throw new WorkerUnreachableException(reason, new HttpRequestException("errcode 45015"));
        }

        lock (_lock)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw new HttpRequestException("The channel refused the message.", null, HttpStatusCode.BadGateway);
            }

            _sent.Add(new SentMessage(caseId, worker.ConversationId, delivery.Id, delivery.Kind, delivery.Text));
        }
    }
}

/// <summary>
/// The store with a competitor: a change registered with <see cref="BeforeNextUpdate"/> is written just
/// before the next update goes through, as a request on another thread would, so that update conflicts.
/// </summary>
public sealed class ContestedStore(ICaseStore inner) : ICaseStore
{
    private Func<Task>? _competitor;

    public void BeforeNextUpdate(Func<Task> competitor) => Volatile.Write(ref _competitor, competitor);

    public async Task<HotlineCase> UpdateAsync(HotlineCase hotlineCase, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _competitor, null) is { } competitor)
        {
            await competitor();
        }

        return await inner.UpdateAsync(hotlineCase, cancellationToken);
    }

    public Task<HotlineCase> CreateAsync(HotlineCase draft, CancellationToken cancellationToken = default) => inner.CreateAsync(draft, cancellationToken);

    public Task<HotlineCase?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

    public Task AppendTranscriptAsync(string caseId, TranscriptLine line, CancellationToken cancellationToken = default) =>
        inner.AppendTranscriptAsync(caseId, line, cancellationToken);

    public Task<IReadOnlyList<HotlineCase>> ListUnfinishedAsync(CancellationToken cancellationToken = default) => inner.ListUnfinishedAsync(cancellationToken);

    public Task<IReadOnlyList<HotlineCase>> ListByConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken = default) =>
        inner.ListByConversationAsync(channelId, conversationId, cancellationToken);
}

/// <summary>
/// The cases area as the host wires it: a real SQLite file in a temporary directory, the seeds' holiday
/// calendar with default operator hours (09:00–17:30, Asia/Shanghai), a clock the test moves, and
/// recording fakes for the ports to Hangfire and the chat channels.
/// </summary>
public sealed class WorkflowHarness : IDisposable
{
    public const string Operator = "operator-li";
    public const string OtherOperator = "operator-wang";
    public const string Phone = "13812348000";
    public const string MaskedPhone = "138****8000";

    /// <summary>Tuesday 24 Nov 2026, 10:00 in Beijing: a working day, in working hours.</summary>
    public static readonly DateTimeOffset TuesdayMorning = Cst(2026, 11, 24, 10);

    private readonly TemporaryDatabase<SqliteCaseStore> _database = TemporaryCaseDatabase.Create();

    public WorkflowHarness(FollowUpOptions? options = null, DateTimeOffset? start = null)
    {
        Clock = new TestClock(start ?? TuesdayMorning);
        Options = options ?? new FollowUpOptions();
        Calendar = SchedulingFixtures.Calendar();
        Deadlines = new CaseDeadlines(Calendar, Options);
        Planner = new FollowUpPlanner(Calendar, Options);
        Machine = new CaseStateMachine(Clock);
        Store = _database.Open(Clock);
        Workflow = new CaseWorkflow(Store, Machine, Deadlines, Planner, Scheduler, Notifier, Clock);
        Contested = new ContestedStore(Store);
        ContestedWorkflow = new CaseWorkflow(Contested, Machine, Deadlines, Planner, Scheduler, Notifier, Clock);
        FollowUps = NewFollowUps(Store);
        ContestedFollowUps = NewFollowUps(Contested);
    }

    public TestClock Clock { get; }

    public FollowUpOptions Options { get; }

    public WorkingCalendar Calendar { get; }

    public CaseDeadlines Deadlines { get; }

    public FollowUpPlanner Planner { get; }

    public CaseStateMachine Machine { get; }

    public RecordingScheduler Scheduler { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public ScriptedMessenger Messenger { get; } = new();

    public ICaseStore Store { get; }

    public CaseWorkflow Workflow { get; }

    /// <summary>The same store and workflow, with a competing change injected before the next update.</summary>
    public ContestedStore Contested { get; }

    public CaseWorkflow ContestedWorkflow { get; }

    public CaseFollowUps ContestedFollowUps { get; }

    public CaseFollowUps FollowUps { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The follow-up jobs of another server: its own store on the same file, the same ports.</summary>
    public CaseFollowUps SecondServer() => NewFollowUps(_database.Open(Clock));

    /// <summary>A case opened by the bot now, as the handoff dialog opens it.</summary>
    public Task<HotlineCase> OpenAsync(CasePriority priority = CasePriority.Normal, string? phone = null, string? window = null, string conversationId = "conv-1")
    {
        var draft = TestCases.Draft(conversationId, phone);
        draft.Priority = priority;
        return Workflow.OpenAsync(draft, window, Ct);
    }

    /// <summary>A case <see cref="Operator"/> took.</summary>
    public async Task<HotlineCase> ClaimedAsync(CasePriority priority = CasePriority.Normal, string? phone = null, string? window = null, string conversationId = "conv-1")
    {
        var opened = await OpenAsync(priority, phone, window, conversationId);
        return await Workflow.ClaimAsync(opened.Id, Operator, asAdmin: false, Ct);
    }

    /// <summary>A case whose operator asked the worker something; the message is still to be delivered.</summary>
    public async Task<(HotlineCase Case, CaseDelivery Delivery)> WaitingForWorkerAsync(string text = "您好，我是李老师。请把劳动合同拍照发给我。", string conversationId = "conv-1")
    {
        var claimed = await ClaimedAsync(conversationId: conversationId);
        return await Workflow.SendOperatorMessageAsync(claimed.Id, Operator, text, Ct);
    }

    /// <summary>A case <see cref="Operator"/> resolved now; the worker's notice is still to be delivered.</summary>
    public async Task<HotlineCase> ResolvedAsync(string conversationId = "conv-1")
    {
        var claimed = await ClaimedAsync(conversationId: conversationId);
        return await Workflow.ResolveAsync(claimed.Id, Operator, "已指导职工向劳动监察大队投诉", asAdmin: false, Ct);
    }

    public async Task<HotlineCase> ReadAsync(string caseId) =>
        await Store.GetAsync(caseId, Ct) ?? throw new InvalidOperationException($"Case '{caseId}' is gone.");

    /// <summary>The one follow-up of <paramref name="kind"/> the planner has for the case as stored now.</summary>
    public async Task<PlannedFollowUp> PlannedAsync(string caseId, FollowUpKind kind) =>
        Assert.Single(Planner.Plan(await ReadAsync(caseId)), p => p.Kind == kind);

    public Task<FollowUpResult> RunAsync(PlannedFollowUp followUp) =>
        FollowUps.RunAsync(followUp.CaseId, followUp.Kind, followUp.Key, Ct);

    /// <summary>Moves the clock to the follow-up's due time (if it is still ahead) and runs it.</summary>
    public async Task<FollowUpResult> RunWhenDueAsync(string caseId, FollowUpKind kind)
    {
        var planned = await PlannedAsync(caseId, kind);
        if (planned.Due > Clock.GetUtcNow())
        {
            Clock.AdvanceTo(planned.Due);
        }

        return await RunAsync(planned);
    }

    public Task<DeliveryState?> DeliverAsync(string caseId, string deliveryId) =>
        FollowUps.DeliverAsync(caseId, deliveryId, Ct);

    public async Task<CaseDelivery> DeliveryAsync(string caseId, string deliveryId) =>
        Assert.Single((await ReadAsync(caseId)).Deliveries, d => d.Id == deliveryId);

    public void Dispose() => _database.Dispose();

    private CaseFollowUps NewFollowUps(ICaseStore store) =>
        new(store, Machine, Deadlines, Calendar, Options, Planner, Scheduler, Notifier, Messenger, Clock);
}
