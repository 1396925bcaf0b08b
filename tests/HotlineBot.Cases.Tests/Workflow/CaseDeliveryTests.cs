using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Scheduling;
using HotlineBot.Cases.Workflow;
using static HotlineBot.Cases.Tests.Workflow.WorkflowHarness;

namespace HotlineBot.Cases.Tests.Workflow;

public sealed class CaseDeliveryTests : IDisposable
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SecondWait = TimeSpan.FromSeconds(30);

    // Two waits: three attempts, then the delivery has failed.
    private readonly WorkflowHarness _h = new(new FollowUpOptions { DeliveryRetryDelays = { FirstWait, SecondWait } });

    [Fact]
    public async Task DeliverAsync_Success_SendsIntoTheWorkersChat_AndMarksItDelivered()
    {
        var (c, message) = await _h.WaitingForWorkerAsync("您好，请把劳动合同拍照发给我。");
        _h.Clock.Advance(TimeSpan.FromSeconds(2));

        var state = await _h.DeliverAsync(c.Id, message.Id);

        var stored = await _h.DeliveryAsync(c.Id, message.Id);
        Assert.Equal(DeliveryState.Delivered, state);
        Assert.Equal(DeliveryState.Delivered, stored.State);
        Assert.Equal(_h.Clock.GetUtcNow(), stored.DeliveredAt);
        Assert.Equal(1, stored.Attempts);
        Assert.Null(stored.LastError);
        Assert.Equal([new SentMessage(c.Id, "conv-1", message.Id, DeliveryKind.Operator, "您好，请把劳动合同拍照发给我。")], _h.Messenger.Sent);
    }

    [Fact]
    public async Task DeliverAsync_Failure_RecordsTheError_AndRetriesAfterTheFirstWait()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        _h.Messenger.FailNext(1);
        _h.Scheduler.Clear();
        var failedAt = _h.Clock.GetUtcNow();

        var state = await _h.DeliverAsync(c.Id, message.Id);

        var stored = await _h.DeliveryAsync(c.Id, message.Id);
        Assert.Equal(DeliveryState.Pending, state);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal("HTTP 502 BadGateway", stored.LastError);
        Assert.Equal(failedAt + FirstWait, stored.NextAttemptAt);
        Assert.Null(stored.DeliveredAt);
        Assert.Equal([new ScheduledDelivery(c.Id, message.Id, failedAt + FirstWait)], _h.Scheduler.Deliveries);
    }

    [Fact]
    public async Task DeliverAsync_RetryThatComesTooSoon_WaitsForItsTime_ThenDelivers()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        _h.Messenger.FailNext(1);
        var failedAt = _h.Clock.GetUtcNow();
        await _h.DeliverAsync(c.Id, message.Id);
        _h.Scheduler.Clear();
        _h.Clock.Advance(TimeSpan.FromSeconds(5));

        var tooSoon = await _h.DeliverAsync(c.Id, message.Id);
        var callsTooSoon = _h.Messenger.Calls;
        _h.Clock.AdvanceTo(failedAt + FirstWait);
        var onTime = await _h.DeliverAsync(c.Id, message.Id);

        var stored = await _h.DeliveryAsync(c.Id, message.Id);
        Assert.Equal(DeliveryState.Pending, tooSoon);
        Assert.Equal(1, callsTooSoon);
        Assert.Equal(new ScheduledDelivery(c.Id, message.Id, failedAt + FirstWait), _h.Scheduler.Deliveries[0]);
        Assert.Equal(DeliveryState.Delivered, onTime);
        Assert.Equal(2, stored.Attempts);
        Assert.Null(stored.LastError);
        Assert.Single(_h.Messenger.Sent);
    }

    [Fact]
    public async Task DeliverAsync_AfterTheLastWait_MarksItFailed_RecordsItInTheHistory_AndTellsTheOperator()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        _h.Messenger.FailNext(int.MaxValue);
        _h.Scheduler.Clear();
        var start = _h.Clock.GetUtcNow();

        var first = await _h.DeliverAsync(c.Id, message.Id);
        _h.Clock.Advance(FirstWait);
        var second = await _h.DeliverAsync(c.Id, message.Id);
        _h.Clock.Advance(SecondWait);
        var third = await _h.DeliverAsync(c.Id, message.Id);
        _h.Clock.Advance(TimeSpan.FromHours(1));
        var late = await _h.DeliverAsync(c.Id, message.Id);

        var after = await _h.ReadAsync(c.Id);
        var stored = Assert.Single(after.Deliveries);
        Assert.Equal([DeliveryState.Pending, DeliveryState.Pending, DeliveryState.Failed, DeliveryState.Failed], [first, second, third, late]);
        Assert.Equal(DeliveryState.Failed, stored.State);
        Assert.Equal(3, stored.Attempts);
        Assert.Equal(3, _h.Messenger.Calls);
        Assert.Equal("HTTP 502 BadGateway", stored.LastError);
        Assert.Equal(
            [start + FirstWait, start + FirstWait + SecondWait],
            _h.Scheduler.Deliveries.Select(d => d.At));
        var failed = Assert.Single(after.History, e => e.Action == "delivery-failed");
        Assert.Equal("system", failed.Actor);
        Assert.Contains(message.Id, failed.Note, StringComparison.Ordinal);
        var told = Assert.Single(_h.Notifier.OfKind("delivery-failed"));
        Assert.Equal((NotificationAudience.Assignee, Operator, c.Id), (told.Audience, told.Operator, told.CaseId));
    }

    [Fact]
    public async Task DeliverAsync_WorkerUnreachable_MarksItUndeliverableAtOnce_WithTheReason_AndTellsTheOperatorOnce()
    {
        const string Reason = "已超过微信48小时回复时限，职工没有再发消息，无法主动推送。";
        var (c, message) = await _h.WaitingForWorkerAsync();
        _h.Messenger.Unreachable(Reason);
        _h.Scheduler.Clear();

        var state = await _h.DeliverAsync(c.Id, message.Id);
        var afterFirst = await _h.ReadAsync(c.Id);
        _h.Clock.Advance(FirstWait + SecondWait + TimeSpan.FromHours(1));
        var again = await _h.DeliverAsync(c.Id, message.Id);

        var after = await _h.ReadAsync(c.Id);
        var stored = Assert.Single(after.Deliveries);
        Assert.Equal([DeliveryState.Undeliverable, DeliveryState.Undeliverable], [state, again]);
        Assert.Equal((DeliveryState.Undeliverable, 1, Reason), (stored.State, stored.Attempts, stored.LastError));
        Assert.Null(stored.DeliveredAt);
        Assert.Equal(1, _h.Messenger.Calls);
        Assert.Empty(_h.Messenger.Sent);
        Assert.Empty(_h.Scheduler.Deliveries);
        // The second run wrote nothing: the case is as the first left it.
        Assert.Equal(afterFirst.Version, after.Version);
        var entry = Assert.Single(after.History, e => e.Action == "delivery-undeliverable");
        Assert.Equal(("system", $"{message.Id}：{Reason}"), (entry.Actor, entry.Note));
        Assert.DoesNotContain(after.History, e => e.Action == "delivery-failed");
        var told = Assert.Single(_h.Notifier.OfKind("delivery-undeliverable"));
        Assert.Equal((NotificationAudience.Assignee, Operator, c.Id), (told.Audience, told.Operator, told.CaseId));
        Assert.Equal(CaseMessages.DeliveryUndeliverable(after), told.Text);
        Assert.Empty(_h.Notifier.OfKind("delivery-failed"));
    }

    [Fact]
    public async Task DeliverAsync_WorkerUnreachableAfterAFailure_IsUndeliverable_WithoutTheRemainingRetries()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        _h.Messenger.FailNext(1);
        await _h.DeliverAsync(c.Id, message.Id);
        _h.Messenger.Unreachable("职工已取消关注公众号。");
        _h.Scheduler.Clear();
        _h.Clock.Advance(FirstWait);

        var state = await _h.DeliverAsync(c.Id, message.Id);

        var stored = await _h.DeliveryAsync(c.Id, message.Id);
        Assert.Equal(DeliveryState.Undeliverable, state);
        Assert.Equal((2, "职工已取消关注公众号。"), (stored.Attempts, stored.LastError));
        Assert.Empty(_h.Scheduler.Deliveries);
        Assert.Single(_h.Notifier.OfKind("delivery-undeliverable"));
    }

    [Fact]
    public async Task DeliverAsync_DuplicateJobWhileASendIsInFlight_DoesNothing()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        var release = _h.Messenger.HoldSends();
        var inFlight = Task.Run(() => _h.DeliverAsync(c.Id, message.Id), TestContext.Current.CancellationToken);
        await _h.Messenger.FirstSendStarted.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _h.Scheduler.Clear();

        var duplicate = await _h.DeliverAsync(c.Id, message.Id);
        var callsDuringLease = _h.Messenger.Calls;
        release.SetResult();
        var first = await inFlight;
        _h.Clock.Advance(FirstWait);
        var leaseOver = await _h.DeliverAsync(c.Id, message.Id);

        Assert.Equal(DeliveryState.Pending, duplicate);
        Assert.Equal(1, callsDuringLease);
        Assert.Equal(DeliveryState.Delivered, first);
        Assert.Equal(DeliveryState.Delivered, leaseOver);
        Assert.Equal(1, _h.Messenger.Calls);
        Assert.Single(_h.Messenger.Sent);
        Assert.Equal(1, (await _h.DeliveryAsync(c.Id, message.Id)).Attempts);
    }

    [Fact]
    public async Task DeliverAsync_DuplicateJobPastTheFirstRetryWait_StillFindsTheSendInFlight_AndDoesNotSendAgain()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        var claimedAt = _h.Clock.GetUtcNow();
        var release = _h.Messenger.HoldSends();
        var inFlight = Task.Run(() => _h.DeliverAsync(c.Id, message.Id), TestContext.Current.CancellationToken);
        await _h.Messenger.FirstSendStarted.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _h.Scheduler.Clear();

        DeliveryState? duplicate;
        DeliveryState? rescheduled;
        int callsDuringLease;
        try
        {
            duplicate = await _h.DeliverAsync(c.Id, message.Id);
            _h.Clock.Advance(TimeSpan.FromSeconds(11)); // past the first retry wait, inside the lease

            // A second send would wait on the held channel: time out instead of hanging.
            rescheduled = await _h.DeliverAsync(c.Id, message.Id).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            callsDuringLease = _h.Messenger.Calls;
        }
        finally
        {
            release.TrySetResult();
        }

        var first = await inFlight;

        var lease = new ScheduledDelivery(c.Id, message.Id, claimedAt + _h.Options.DeliveryLease);
        Assert.Equal([DeliveryState.Pending, DeliveryState.Pending], [duplicate, rescheduled]);
        Assert.Equal(1, callsDuringLease);
        Assert.Equal([lease, lease], _h.Scheduler.Deliveries);
        Assert.Equal(DeliveryState.Delivered, first);
        Assert.Equal(1, _h.Messenger.Calls);
        Assert.Single(_h.Messenger.Sent);
        var stored = await _h.DeliveryAsync(c.Id, message.Id);
        Assert.Equal((DeliveryState.Delivered, 1), (stored.State, stored.Attempts));
    }

    [Fact]
    public async Task DeliverAsync_AlreadyDelivered_IsNotSentAgain()
    {
        var (c, message) = await _h.WaitingForWorkerAsync();
        await _h.DeliverAsync(c.Id, message.Id);
        var delivered = await _h.ReadAsync(c.Id);
        _h.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await _h.DeliverAsync(c.Id, message.Id);

        Assert.Equal(DeliveryState.Delivered, again);
        Assert.Equal(1, _h.Messenger.Calls);
        Assert.Equal(delivered.Version, (await _h.ReadAsync(c.Id)).Version);
    }

    [Fact]
    public async Task DeliverAsync_UnknownCaseOrDelivery_ReturnsNoState_AndSendsNothing()
    {
        var (c, _) = await _h.WaitingForWorkerAsync();

        Assert.Null(await _h.DeliverAsync(c.Id, "d-unknown"));
        Assert.Null(await _h.DeliverAsync("12351-20261124-0404", "d-unknown"));
        Assert.Equal(0, _h.Messenger.Calls);
    }

    [Fact]
    public async Task DeliverAsync_NoticeOfAnAutoClosedCase_TakesTheCaseOffTheUnfinishedList()
    {
        var (c, question) = await _h.WaitingForWorkerAsync();
        await _h.DeliverAsync(c.Id, question.Id);
        await _h.RunWhenDueAsync(c.Id, FollowUpKind.AutoClose);
        var notice = Assert.Single((await _h.ReadAsync(c.Id)).Deliveries, d => d.Id != question.Id);
        var whilePending = await _h.Store.ListUnfinishedAsync(TestContext.Current.CancellationToken);

        await _h.DeliverAsync(c.Id, notice.Id);

        Assert.Contains(c.Id, whilePending.Select(x => x.Id));
        Assert.Empty(await _h.Store.ListUnfinishedAsync(TestContext.Current.CancellationToken));
        Assert.Equal([DeliveryKind.Operator, DeliveryKind.Status], _h.Messenger.Sent.Select(m => m.Kind));
    }

    public void Dispose() => _h.Dispose();
}
